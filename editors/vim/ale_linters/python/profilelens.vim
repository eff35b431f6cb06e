" ProfileLens beside the usual python linters (see editors/vim/README.md).
call profilelens#Define('python')
