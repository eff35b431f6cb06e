" ProfileLens beside the usual typescript linters (see editors/vim/README.md).
call profilelens#Define('typescript')
