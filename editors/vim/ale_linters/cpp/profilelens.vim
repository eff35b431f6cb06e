" ProfileLens beside the usual cpp linters (see editors/vim/README.md).
call profilelens#Define('cpp')
