# ProfileLens for kakoune-lsp 18 and newer, which is configured with the buffer option
# lsp_servers. This adds ProfileLens to the servers that kakoune-lsp (or your own hooks) set for
# go, python, rust, javascript, typescript, java, c, cpp and swift buffers.
#
# Source it from kakrc AFTER `eval %sh{kak-lsp}`, `lsp-enable` and your own lsp_servers hooks:
#     source /path/to/profilelens.kak

declare-option -hidden str profilelens_lsp_server %{
    [profilelens]
    root_globs = [".git", ".hg", "go.mod", "Cargo.toml", "package.json", "pyproject.toml", "Package.swift", "compile_commands.json"]
    command = "profilelens"
    args = ["serve"]
    settings_section = "profilelens"
    [profilelens.settings.profilelens]
    # Profile files or folders, relative to the project root. Delete to auto-discover.
    profiles = ["profiles/"]
    # Profile path prefix -> workspace path ("" trims the prefix). Example values: edit or delete.
    pathMappings = [{ from = "/home/ci/work/app", to = "" }]
    kind = "cpu"
    hintThreshold = 1.0
    diagnostics = false
}

# Append the table once. With $1 = nonempty, only when lsp_servers already names a server, so
# that this never runs before kakoune-lsp's default configuration (which only fills an empty
# lsp_servers) and hides it.
define-command -hidden profilelens-lsp-add -params 0..1 %{
    evaluate-commands %sh{
        case "$kak_opt_lsp_servers" in
            (*'[profilelens]'*) ;;
            ('') [ "$1" = nonempty ] || echo 'set-option -add buffer lsp_servers %opt{profilelens_lsp_server}' ;;
            (*) echo 'set-option -add buffer lsp_servers %opt{profilelens_lsp_server}' ;;
        esac
    }
}

# kakoune-lsp applies its defaults either in BufSetOption filetype hooks or in
# `User LSPDefaultConfig=<filetype>` hooks, depending on the version; these run after both.
hook -group profilelens global User LSPDefaultConfig=(?:go|python|rust|javascript|typescript|java|c|cpp|swift) %{
    profilelens-lsp-add
}
hook -group profilelens global BufSetOption filetype=(?:go|python|rust|javascript|typescript|java|c|cpp|swift) %{
    profilelens-lsp-add nonempty
}

define-command profilelens-hottest -docstring 'ProfileLens: open the hottest function of the workspace' %{
    # kakoune-lsp wants the JSON arguments as a (TOML/JSON) string, hence the double quoting.
    lsp-execute-command profilelens.hottest '"[{\"scope\":\"workspace\"}]"'
}
define-command profilelens-next-kind -docstring 'ProfileLens: show the next loaded kind' %{
    lsp-execute-command profilelens.selectKind '""'
}
define-command profilelens-kind -params 1 -docstring 'profilelens-kind <cpu|wall|alloc|inuse|mutex|block|goroutine>: show this kind' %{
    lsp-execute-command profilelens.selectKind """[{\""kind\"":\""%arg{1}\""}]"""
}
define-command profilelens-reload -docstring 'ProfileLens: load the profiles again' %{
    lsp-execute-command profilelens.reload '""'
}
