-- End-to-end test of editors/neovim inside a real, headless Neovim.
-- Env: PL_BIN, PL_PROFILES, PL_WS, PL_OUT, PL_NEXT (a replacement cpu profile), PL_REPO.
-- Writes a JSON object of observations to PL_OUT, then quits; run-neovim.sh judges them.
local bin, profiles, ws, out, next_profile, repo =
  os.getenv("PL_BIN"), os.getenv("PL_PROFILES"), os.getenv("PL_WS"), os.getenv("PL_OUT"), os.getenv("PL_NEXT"), os.getenv("PL_REPO")
vim.opt.runtimepath:append(repo .. "/editors/neovim")
vim.cmd("filetype on")
local results = {}
local function finish()
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd("qall!")
end

local ok, err = pcall(function()
  require("profilelens").setup({
    cmd = { bin, "serve" },
    profiles = { profiles },
    path_mappings = { { from = "/home/ci/work/goshop", to = ws } },
  })
  vim.cmd("edit " .. ws .. "/pricing/pricing.go")
  local buf = vim.api.nvim_get_current_buf()
  results.filetype = vim.bo[buf].filetype

  local function client()
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
      if c.name == "profilelens" then return c end
    end
  end
  results.attached = vim.wait(10000, function() return client() ~= nil and client().initialized end, 50)

  local function hover()
    local resp = vim.lsp.buf_request_sync(buf, "textDocument/hover",
      { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 17, character = 4 } }, 5000)
    for _, r in pairs(resp or {}) do
      if r.result and r.result.contents then return r.result.contents.value or "" end
    end
    return ""
  end
  -- The first load finishes shortly after initialization.
  vim.wait(10000, function() return hover() ~= "" end, 100)
  results.hover = hover()

  -- Lenses: refreshed by the config on attach and when the server asks.
  vim.wait(5000, function() return #vim.lsp.codelens.get(buf) >= 2 end, 100)
  results.lenses = {}
  for _, l in ipairs(vim.lsp.codelens.get(buf)) do
    table.insert(results.lenses, { line = l.range.start.line, title = l.command and l.command.title or "" })
  end

  -- Inlay hints as end-of-line virtual text (Neovim < 0.10 has no inlay hint UI).
  local ns = vim.api.nvim_create_namespace("profilelens_hints")
  vim.wait(5000, function() return #vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, {}) > 0 end, 100)
  results.hint_lines = {}
  for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
    table.insert(results.hint_lines, mark[2])
  end

  -- Jump to the hottest function from the top of another file.
  vim.cmd("edit " .. ws .. "/main.go")
  vim.wait(3000, function() return #vim.lsp.buf_get_clients(0) > 0 end, 50)
  vim.cmd("ProfileLensHottest")
  vim.wait(5000, function() return vim.api.nvim_buf_get_name(0):match("pricing%.go$") ~= nil end, 50)
  results.after_hottest = { file = vim.api.nvim_buf_get_name(0), line = vim.api.nvim_win_get_cursor(0)[1] }

  -- Replace the cpu profile; the server reloads and asks for refreshed lenses.
  local before = results.hover
  os.rename(next_profile, profiles .. "/cpu.pb.gz")
  vim.wait(15000, function()
    local text = hover()
    return text ~= "" and text ~= before
  end, 200)
  results.hover_after_reload = hover()
end)
if not ok then results.error = tostring(err) end
finish()
