" ProfileLens beside the usual cs linters (see editors/vim/README.md).
call profilelens#Define('cs')
