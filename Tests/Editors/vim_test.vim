" End-to-end test of editors/vim inside a real Vim + ALE (run by run-vim.sh in a tmux pane:
" vim -u VIMRC pricing/pricing.go -S vim_test.vim, where VIMRC is the README's set-up).
" Env: PL_OUT (JSON observations), PL_PROFILES (the profiles folder), PL_NEXT (a cpu profile that
" replaces cpu.pb.gz), PL_WS. Steps run from timers, so Vim's main loop runs ALE's jobs, channels
" and redraws between them, as when a user types the commands. run-vim.sh judges the results.
let s:r = {'attached': v:false, 'hover': '', 'symbols': [], 'diagnostics': [], 'after_hottest': {},
\          'hover_after_reload': '', 'diagnostics_after_reload': [], 'timeouts': [], 'errors': []}
let s:buf = bufnr('')
let s:win = win_getid()

" The text of the window whose buffer has filetype FT ('' when there is none).
function! s:Text(ft) abort
    for l:w in getwininfo()
        if getbufvar(l:w.bufnr, '&filetype') is# a:ft
            return join(getbufline(l:w.bufnr, 1, '$'), "\n")
        endif
    endfor
    return ''
endfunction

function! s:Line18() abort
    silent! pclose
    call win_gotoid(s:win)
    execute 'buffer ' . s:buf
    call cursor(18, 1)
    normal! ^
endfunction

function! s:Diagnostics() abort
    return map(copy(ale#engine#GetLoclist(s:buf)),
    \ {_, d -> {'lnum': d.lnum, 'type': get(d, 'type', ''), 'text': get(d, 'text', ''), 'linter': get(d, 'linter_name', '')}})
endfunction

function! s:DiagOn18(list) abort
    return filter(copy(a:list), {_, d -> d.lnum == 18 && d.linter is# 'profilelens'})
endfunction

" --- steps: [name, start, poll (1: done), seconds allowed, seconds between retries of start]
function! s:AttachStart() abort
endfunction
function! s:AttachPoll() abort
    let s:r.linters = map(ale#linter#Get('go'), 'v:val.name')
    let s:r.attached = index(s:r.linters, 'profilelens') >= 0 ? v:true : v:false
    return s:r.attached
endfunction

" :ProfileLensHover (the config's <Leader>pd) asks ProfileLens alone, with gopls running too.
function! s:HoverStart() abort
    call s:Line18()
    ProfileLensHover
endfunction
function! s:HoverPoll() abort
    let s:r.hover = s:Text('ale-preview.message')
    return stridx(s:r.hover, 'CPU') >= 0
endfunction

" :ALEHover asks every LSP linter and shows the last answer: ProfileLens alone for this buffer.
function! s:AleHoverStart() abort
    call s:Line18()
    let b:ale_linters = ['profilelens']
    ALEHover
endfunction
function! s:AleHoverPoll() abort
    let s:r.ale_hover = s:Text('ale-preview.message')
    if stridx(s:r.ale_hover, 'CPU') >= 0
        unlet! b:ale_linters
        return 1
    endif
    return 0
endfunction

function! s:Selection() abort
    for l:w in getwininfo()
        if getbufvar(l:w.bufnr, '&filetype') is# 'ale-preview-selection'
            return map(copy(getbufvar(l:w.bufnr, 'ale_preview_item_list', [])),
            \ {_, s -> {'filename': s.filename, 'line': s.line, 'match': get(s, 'match', '')}})
        endif
    endfor
    return []
endfunction

function! s:SymbolStart() abort
    call s:Line18()
    ProfileLensSymbols goshop
endfunction
function! s:SymbolPoll() abort
    let s:r.symbols = s:Selection()
    return !empty(s:r.symbols)
endfunction

function! s:AleSymbolStart() abort
    call s:Line18()
    let b:ale_linters = ['profilelens']
    ALESymbolSearch goshop
endfunction
function! s:AleSymbolPoll() abort
    let s:r.ale_symbols = s:Selection()
    if !empty(s:r.ale_symbols)
        unlet! b:ale_linters
        return 1
    endif
    return 0
endfunction

function! s:DiagStart() abort
    call s:Line18()
endfunction
function! s:DiagPoll() abort
    let s:r.diagnostics = s:Diagnostics()
    return !empty(s:DiagOn18(s:r.diagnostics))
endfunction

function! s:HottestStart() abort
    silent! pclose
    call win_gotoid(s:win)
    execute 'edit ' . fnameescape($PL_WS . '/main.go')
    call cursor(1, 1)
    ProfileLensHottest
endfunction
function! s:HottestPoll() abort
    let s:r.after_hottest = {'file': expand('%:p'), 'line': line('.')}
    return expand('%:t') is# 'pricing.go'
endfunction

function! s:ReloadStart() abort
    if !exists('s:replaced_at')
        let s:before = s:r.hover
        call rename($PL_NEXT, $PL_PROFILES . '/cpu.pb.gz')
        let s:replaced_at = reltime()
    endif
    call s:Line18()
    ProfileLensHover
endfunction
function! s:ReloadPoll() abort
    let s:r.hover_after_reload = s:Text('ale-preview.message')
    let s:r.diagnostics_after_reload = s:Diagnostics()
    if stridx(s:r.hover_after_reload, 'CPU') >= 0 && s:r.hover_after_reload isnot# s:before
        let s:r.reload_seconds = reltimefloat(reltime(s:replaced_at))
        " the diagnostics are pushed again: wait until they changed too
        return s:DiagOn18(s:r.diagnostics_after_reload) != s:DiagOn18(s:r.diagnostics)
    endif
    return 0
endfunction

let s:steps = [
\ ['attach', function('s:AttachStart'), function('s:AttachPoll'), 10, 100],
\ ['hover', function('s:HoverStart'), function('s:HoverPoll'), 25, 1.5],
\ ['ale_hover', function('s:AleHoverStart'), function('s:AleHoverPoll'), 10, 1.5],
\ ['symbols', function('s:SymbolStart'), function('s:SymbolPoll'), 10, 2],
\ ['ale_symbols', function('s:AleSymbolStart'), function('s:AleSymbolPoll'), 10, 2],
\ ['diagnostics', function('s:DiagStart'), function('s:DiagPoll'), 10, 100],
\ ['hottest', function('s:HottestStart'), function('s:HottestPoll'), 10, 3],
\ ['reload', function('s:ReloadStart'), function('s:ReloadPoll'), 20, 1],
\]
let s:i = -1

function! s:Finish() abort
    let s:r.messages = split(execute('messages'), "\n")[-15:]
    call writefile([json_encode(s:r)], $PL_OUT)
    qall!
endfunction

function! s:Next() abort
    let s:i += 1
    if s:i >= len(s:steps)
        call s:Finish()
        return
    endif
    let s:step_at = reltime()
    let s:tried_at = reltime()
    try
        call s:steps[s:i][1]()
    catch
        call add(s:r.errors, s:steps[s:i][0] . ': ' . v:exception)
    endtry
endfunction

function! s:Tick(timer) abort
    if s:i < 0 || s:i >= len(s:steps) | return | endif
    let [l:name, l:Start, l:Poll, l:allowed, l:retry] = s:steps[s:i]
    try
        if l:Poll()
            call s:Next()
            return
        endif
    catch
        call add(s:r.errors, l:name . ': ' . v:exception)
    endtry
    if reltimefloat(reltime(s:step_at)) > l:allowed
        call add(s:r.timeouts, l:name)
        call s:Next()
    elseif reltimefloat(reltime(s:tried_at)) > l:retry
        let s:tried_at = reltime()
        try
            call l:Start()
        catch
            call add(s:r.errors, l:name . ': ' . v:exception)
        endtry
    endif
endfunction

function! s:Watchdog(timer) abort
    call add(s:r.errors, 'watchdog: gave up at step ' . s:i)
    call s:Finish()
endfunction

call timer_start(100000, function('s:Watchdog'))
call timer_start(300, {-> s:Next()})
call timer_start(200, function('s:Tick'), {'repeat': -1})
