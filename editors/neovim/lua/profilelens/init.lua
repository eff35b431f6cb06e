-- ProfileLens for Neovim: profiler costs on the lines of code where they happen.
--
-- Starts `profilelens serve` as an extra language server beside the buffer's usual one, and
-- adds what the editor does not do by itself: code lens refresh on attach and when the server
-- asks, inlay hints as end-of-line virtual text where Neovim has no inlay hint support (< 0.10),
-- and commands and keys to jump to the hottest function, switch the kind shown and reload.
-- Works with Neovim 0.7 (vim.lsp.start_client) and 0.10+ (vim.lsp.start).
local M = {}

M.config = {
  cmd = { "profilelens", "serve" },
  -- Options sent as initializationOptions; nil fields are left to the server's defaults.
  profiles = nil,        -- e.g. { "profiles/" }: files or folders, relative to the root
  path_mappings = nil,   -- e.g. { { from = "/home/ci/work/app", to = "" } }
  kind = nil,            -- "cpu", "alloc", "inuse", "mutex", "block", "goroutine", "wall"
  hint_threshold = nil,  -- percent of the kind's total a line needs for an inlay hint
  diagnostics = nil,     -- hot lines as Information diagnostics
  pyroscope = nil,       -- e.g. { url = "https://pyroscope.example.net", query = '{service_name="checkout"}' }
  refresh = nil,         -- seconds between fetches of live sources (URLs in profiles, pyroscope); default 60
  filetypes = { "go", "python", "javascript", "typescript", "java", "rust", "c", "cpp", "swift", "ruby", "cs" },
  root_markers = { "go.mod", ".git", "package.json", "Cargo.toml", "pyproject.toml", "pom.xml", "build.gradle", "Package.swift" },
  keymaps = { hottest = "<leader>ph", hottest_in_file = "<leader>pf", kind = "<leader>pk", reload = "<leader>pr", run_lens = "<leader>pl" },
}

local clients = {}            -- root directory -> client id (Neovim < 0.10)
local hint_ns = vim.api.nvim_create_namespace("profilelens_hints")
local has_native_hints = vim.lsp.inlay_hint ~= nil

local function init_options()
  local c = M.config
  return {
    profiles = c.profiles,
    pathMappings = c.path_mappings,
    kind = c.kind,
    hintThreshold = c.hint_threshold,
    diagnostics = c.diagnostics,
    pyroscope = c.pyroscope,
    refresh = c.refresh,
  }
end

-- The nearest folder above the buffer's file that holds a root marker, else the current folder.
local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(name, ":p:h")
  while dir and dir ~= "" do
    for _, marker in ipairs(M.config.root_markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then break end
    dir = parent
  end
  return vim.fn.getcwd()
end

local function client_for(bufnr)
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(attached) do
    if client.name == "profilelens" then return client end
  end
end

local function jump(location)
  if type(location) ~= "table" or not location.uri then return end
  vim.lsp.util.jump_to_location(location, "utf-16")
end

-- End-of-line hints for Neovim without vim.lsp.inlay_hint.
function M.refresh_hints(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if has_native_hints then return end
  local client = client_for(bufnr)
  if not client then return end
  local last = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
  }
  client.request("textDocument/inlayHint", params, function(err, hints)
    if err or not vim.api.nvim_buf_is_valid(bufnr) then return end
    vim.api.nvim_buf_clear_namespace(bufnr, hint_ns, 0, -1)
    for _, hint in ipairs(hints or {}) do
      local label = type(hint.label) == "string" and hint.label or ""
      pcall(vim.api.nvim_buf_set_extmark, bufnr, hint_ns, hint.position.line, 0,
        { virt_text = { { "  " .. label, "Comment" } }, virt_text_pos = "eol" })
    end
  end, bufnr)
end

local function refresh_buffer(bufnr)
  if not vim.api.nvim_buf_is_loaded(bufnr) then return end
  vim.api.nvim_buf_call(bufnr, function() vim.lsp.codelens.refresh() end)
  M.refresh_hints(bufnr)
end

local function refresh_all(client_id)
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.lsp.buf_is_attached(bufnr, client_id) then refresh_buffer(bufnr) end
  end
end

-- Requests the server sends. Handler signatures differ before 0.5.1; 0.7 passes (err, result, ctx).
local handlers = {
  ["workspace/codeLens/refresh"] = function(_, _, ctx)
    vim.schedule(function() refresh_all(ctx.client_id) end)
    return vim.NIL
  end,
  ["workspace/inlayHint/refresh"] = function(_, _, ctx)
    vim.schedule(function() refresh_all(ctx.client_id) end)
    return vim.NIL
  end,
  ["window/showDocument"] = function(_, result)
    vim.schedule(function() jump({ uri = result.uri, range = result.selection or { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 0 } } }) end)
    return { success = true }
  end,
}

local function capabilities()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.workspace = caps.workspace or {}
  caps.workspace.codeLens = { refreshSupport = true }
  caps.workspace.inlayHint = { refreshSupport = true }
  caps.window = caps.window or {}
  caps.window.showDocument = { support = true }
  return caps
end

local function on_attach(client, bufnr)
  local keys = M.config.keymaps or {}
  local function map(lhs, fn, desc)
    if lhs then vim.api.nvim_buf_set_keymap(bufnr, "n", lhs, "", { callback = fn, desc = desc, noremap = true, silent = true }) end
  end
  map(keys.hottest, function() M.hottest("workspace") end, "ProfileLens: jump to the hottest function")
  map(keys.hottest_in_file, function() M.hottest(vim.uri_from_bufnr(0)) end, "ProfileLens: hottest function in this file")
  map(keys.kind, function() M.select_kind() end, "ProfileLens: show the next kind")
  map(keys.reload, function() M.reload() end, "ProfileLens: reload profiles")
  map(keys.run_lens, function() vim.lsp.codelens.run() end, "ProfileLens: run the code lens on this line")
  if has_native_hints then pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr }) end
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
    buffer = bufnr,
    callback = function() refresh_buffer(bufnr) end,
  })
  refresh_buffer(bufnr)
end

function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.api.nvim_buf_get_name(bufnr) == "" or vim.bo[bufnr].buftype ~= "" then return end
  local root = root_dir(bufnr)
  local spec = {
    name = "profilelens",
    cmd = M.config.cmd,
    root_dir = root,
    init_options = init_options(),
    capabilities = capabilities(),
    handlers = handlers,
    on_attach = on_attach,
  }
  if vim.lsp.start then
    return vim.lsp.start(spec, { bufnr = bufnr })
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(spec)
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
  return id
end

local function execute(command, arguments, callback)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = client_for(bufnr)
  if not client then
    vim.notify("ProfileLens is not attached to this buffer", vim.log.levels.WARN)
    return
  end
  client.request("workspace/executeCommand", { command = command, arguments = arguments }, function(err, result)
    if err then
      vim.notify("ProfileLens: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif callback then
      callback(result)
    end
  end, bufnr)
end

--- Jumps to the hottest function of the workspace (scope "workspace") or of a document (its URI).
function M.hottest(scope, kind)
  execute("profilelens.hottest", { { scope = scope or "workspace", kind = kind } }, function(location)
    if location and location ~= vim.NIL then jump(location) else vim.notify("ProfileLens: nothing profiled here") end
  end)
end

--- Shows another kind in lenses and hints; without a kind, the next loaded one.
function M.select_kind(kind)
  execute("profilelens.selectKind", kind and { { kind = kind } } or {}, function(result)
    if result and result.kind then vim.notify("ProfileLens: showing " .. result.kind) end
  end)
end

function M.reload()
  execute("profilelens.reload", {}, function(result)
    if result and result.summary then vim.notify("ProfileLens: " .. result.summary) end
  end)
end

function M.status(callback)
  execute("profilelens.status", {}, callback or function(result) print(vim.inspect(result)) end)
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", M.config, opts or {})
  local group = vim.api.nvim_create_augroup("profilelens", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes or "*",
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_user_command("ProfileLensHottest", function(o) M.hottest(o.args ~= "" and o.args or "workspace") end, { nargs = "?" })
  vim.api.nvim_create_user_command("ProfileLensHottestInFile", function() M.hottest(vim.uri_from_bufnr(0)) end, {})
  vim.api.nvim_create_user_command("ProfileLensKind", function(o) M.select_kind(o.args ~= "" and o.args or nil) end, { nargs = "?" })
  vim.api.nvim_create_user_command("ProfileLensReload", function() M.reload() end, {})
  vim.api.nvim_create_user_command("ProfileLensStatus", function() M.status() end, {})
  -- Buffers already open when setup runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes or {}, vim.bo[bufnr].filetype) then M.attach(bufnr) end
  end
end

return M
