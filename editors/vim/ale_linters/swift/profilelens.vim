" ProfileLens beside the usual swift linters (see editors/vim/README.md).
call profilelens#Define('swift')
