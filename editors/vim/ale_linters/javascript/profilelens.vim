" ProfileLens beside the usual javascript linters (see editors/vim/README.md).
call profilelens#Define('javascript')
