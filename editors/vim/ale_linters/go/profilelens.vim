" ProfileLens beside the usual go linters (see editors/vim/README.md).
call profilelens#Define('go')
