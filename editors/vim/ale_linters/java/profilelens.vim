" ProfileLens beside the usual java linters (see editors/vim/README.md).
call profilelens#Define('java')
