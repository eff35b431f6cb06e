//! Zed extension that starts `profilelens serve` beside each language's own server.
//! Zed does the rest (hover, inlay hints, project symbols, code lenses as code actions).

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

struct ProfileLens;

impl ProfileLens {
    /// `"lsp": {"profilelens": {"initialization_options": {...}}}` from the user's settings.
    fn options(id: &LanguageServerId, worktree: &zed::Worktree) -> Option<serde_json::Value> {
        LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.initialization_options)
    }
}

impl zed::Extension for ProfileLens {
    fn new() -> Self {
        ProfileLens
    }

    /// `"lsp": {"profilelens": {"binary": {"path": ...}}}` if set, else `profilelens` on PATH.
    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let configured = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary)
            .and_then(|binary| binary.path);
        let command = match configured {
            Some(path) => path,
            None => worktree.which("profilelens").ok_or(
                "profilelens is not on PATH: install it (`make install PREFIX=~/.local` in the ProfileLens \
                 checkout, see its README) or set lsp.profilelens.binary.path",
            )?,
        };
        Ok(zed::Command {
            command,
            args: vec!["serve".into()],
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::options(id, worktree))
    }

    /// The same options under the `profilelens` section, sent again with
    /// workspace/didChangeConfiguration when settings.json changes.
    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::options(id, worktree).map(|options| serde_json::json!({ "profilelens": options })))
    }
}

zed::register_extension!(ProfileLens);
