" ProfileLens beside the usual rust linters (see editors/vim/README.md).
call profilelens#Define('rust')
