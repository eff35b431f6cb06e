// ProfileLens for VS Code: starts `profilelens serve` for every file, beside each language's own
// server. vscode-languageclient does the rest: hover, code lenses, inlay hints, workspace symbols,
// window/showDocument, and the profilelens.* commands the server lists in executeCommandProvider
// (the client registers them; package.json only gives them titles in the Command Palette).
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

// The server's options, with the names it reads from initializationOptions.
function serverOptions() {
  const config = vscode.workspace.getConfiguration('profilelens');
  const options = {
    pathMappings: config.get('pathMappings'),
    kind: config.get('kind'),
    hintThreshold: config.get('hintThreshold'),
    diagnostics: config.get('diagnostics'),
    refresh: config.get('refresh'),
  };
  const pyroscope = config.get('pyroscope');
  if (pyroscope && pyroscope.url && pyroscope.query) options.pyroscope = pyroscope; // credentials: environment only
  const profiles = config.get('profiles');
  if (profiles && profiles.length > 0) options.profiles = profiles; // none: discover
  return options;
}

async function activate() {
  const command = vscode.workspace.getConfiguration('profilelens').get('path') || 'profilelens';
  client = new LanguageClient(
    'profilelens',
    'ProfileLens',
    { command, args: ['serve'] },
    {
      documentSelector: [{ scheme: 'file' }],
      initializationOptions: serverOptions(),
      // Sends workspace/didChangeConfiguration with {profilelens: {...}} when settings change.
      synchronize: { configurationSection: 'profilelens' },
    },
  );
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
