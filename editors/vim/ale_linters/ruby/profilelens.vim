" ProfileLens beside the usual ruby linters (see editors/vim/README.md).
call profilelens#Define('ruby')
