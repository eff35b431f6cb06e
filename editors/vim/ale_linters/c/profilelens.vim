" ProfileLens beside the usual c linters (see editors/vim/README.md).
call profilelens#Define('c')
