" ProfileLens for Vim with ALE: the linter definition and the commands.
" ALE loads ale_linters/<filetype>/profilelens.vim, which calls profilelens#Define().
"
" Options (ALE style: a b: variable overrides the g: one):
"   g:ale_profilelens_executable    the binary, default 'profilelens' (looked up on $PATH)
"   g:ale_profilelens_options       initializationOptions: profiles, pathMappings, kind,
"                                   hintThreshold, diagnostics, diagnosticThreshold, ...
"                                   ('diagnostics' defaults to v:true here: ALE has no inlay
"                                   hints or code lenses, diagnostics put the costs at line ends)
"   g:ale_profilelens_root_markers  files or folders that mark the workspace root

call ale#Set('profilelens_executable', 'profilelens')
call ale#Set('profilelens_options', {})
call ale#Set('profilelens_root_markers',
\   ['go.mod', '.git', 'package.json', 'Cargo.toml', 'pyproject.toml', 'setup.py', 'pom.xml',
\    'build.gradle', 'Package.swift', 'Gemfile'])

function! profilelens#Executable(buffer) abort
    return ale#Var(a:buffer, 'profilelens_executable')
endfunction

function! profilelens#Options(buffer) abort
    return extend(copy(ale#Var(a:buffer, 'profilelens_options')), {'diagnostics': v:true}, 'keep')
endfunction

" The nearest folder above the buffer's file that holds a root marker, else the file's folder.
function! profilelens#Root(buffer) abort
    let l:dir = fnamemodify(bufname(a:buffer), ':p:h')
    while 1
        for l:marker in ale#Var(a:buffer, 'profilelens_root_markers')
            if filereadable(l:dir . '/' . l:marker) || isdirectory(l:dir . '/' . l:marker)
                return l:dir
            endif
        endfor
        let l:parent = fnamemodify(l:dir, ':h')
        if l:parent is# l:dir
            return fnamemodify(bufname(a:buffer), ':p:h')
        endif
        let l:dir = l:parent
    endwhile
endfunction

function! profilelens#Define(filetype) abort
    call ale#linter#Define(a:filetype, {
    \   'name': 'profilelens',
    \   'lsp': 'stdio',
    \   'executable': function('profilelens#Executable'),
    \   'command': '%e serve',
    \   'project_root': function('profilelens#Root'),
    \   'initialization_options': function('profilelens#Options'),
    \})
endfunction

" --- Commands: workspace/executeCommand through ALE's connection to the server.

function! s:Error(text) abort
    echohl ErrorMsg | echomsg 'ProfileLens: ' . a:text | echohl None
endfunction

" Sends MESSAGE to the buffer's ProfileLens server (started if need be); Handler gets the response.
function! s:Send(message, Handler) abort
    let l:executable = profilelens#Executable(bufnr(''))
    if !executable(l:executable)
        " ALE itself skips a linter whose executable is missing without a word (:ALEInfo shows it)
        call s:Error("'" . l:executable . "' is not executable or not on $PATH: install it (README, Install) or set g:ale_profilelens_executable")
        return
    endif
    try
        call ale#lsp_linter#SendRequest(bufnr(''), 'profilelens', a:message, a:Handler)
    catch
        call s:Error(v:exception)
    endtry
endfunction

function! s:Execute(command, arguments, Handler) abort
    let l:params = {'command': a:command}
    if a:arguments isnot v:null
        let l:params.arguments = a:arguments
    endif
    call s:Send([0, 'workspace/executeCommand', l:params], a:Handler)
endfunction

function! s:Result(response) abort
    if has_key(a:response, 'error')
        call s:Error(get(a:response.error, 'message', string(a:response.error)))
        return v:null
    endif
    return get(a:response, 'result', v:null)
endfunction

" Opens a Location {uri, range} the server returned.
function! s:Open(response) abort
    let l:location = s:Result(a:response)
    if type(l:location) isnot v:t_dict || !has_key(l:location, 'uri')
        echomsg 'ProfileLens: nothing profiled here'
        return
    endif
    let l:line = l:location.range.start.line + 1
    call ale#util#Open(ale#path#FromFileURI(l:location.uri), l:line, 1, {})
    normal! ^
endfunction

" The costs of the line at the cursor, from ProfileLens alone. (:ALEHover asks every LSP linter
" of the buffer and shows the answer that arrives last: with gopls beside ProfileLens, often
" gopls's.) Shown where ALE shows hovers.
function! s:ShowHover(response) abort
    let l:result = s:Result(a:response)
    if type(l:result) isnot v:t_dict || !has_key(l:result, 'contents')
        echomsg 'ProfileLens: no cost on this line'
        return
    endif
    let [l:commands, l:lines] = ale#hover#ParseLSPResult(l:result.contents)
    if empty(l:lines)
        echomsg 'ProfileLens: no cost on this line'
    elseif get(g:, 'ale_hover_to_floating_preview', 0) || get(g:, 'ale_floating_preview', 0)
        call ale#floating_preview#Show(l:lines, {'filetype': 'ale-preview.message', 'commands': l:commands})
    elseif get(g:, 'ale_hover_to_preview', 0)
        call ale#preview#Show(l:lines, {'filetype': 'ale-preview.message', 'stay_here': 1, 'commands': l:commands})
    else
        call ale#util#ShowMessage(join(l:lines, "\n"), {'commands': l:commands})
    endif
endfunction

function! profilelens#Hover() abort
    let [l:line, l:column] = getpos('.')[1:2]
    call s:Send(ale#lsp#message#Hover(bufnr(''), l:line, l:column), function('s:ShowHover'))
endfunction

" Profiled functions matching QUERY, hottest first, from ProfileLens alone, in ALE's selection
" window (<CR> opens one). (:ALESymbolSearch shows the list of the LSP linter that answers last.)
function! s:ShowSymbols(response) abort
    let l:result = s:Result(a:response)
    let l:items = []
    for l:symbol in type(l:result) is v:t_list ? l:result : []
        call add(l:items, {
        \   'filename': ale#path#FromFileURI(l:symbol.location.uri),
        \   'line': l:symbol.location.range.start.line + 1,
        \   'column': l:symbol.location.range.start.character + 1,
        \   'match': l:symbol.name . (has_key(l:symbol, 'containerName') ? '  ' . l:symbol.containerName : ''),
        \})
    endfor
    if empty(l:items)
        echomsg 'ProfileLens: no profiled function matches'
    else
        call ale#preview#ShowSelection(l:items, {'open_in': 'current-buffer'})
    endif
endfunction

function! profilelens#Symbols(query) abort
    call s:Send(ale#lsp#message#Symbol(a:query), function('s:ShowSymbols'))
endfunction

" The hottest function's hottest line, of the workspace (or of the current file).
function! profilelens#Hottest(in_file, kind) abort
    let l:scope = a:in_file ? ale#util#ToURI(expand('%:p')) : 'workspace'
    let l:argument = {'scope': l:scope}
    if !empty(a:kind)
        let l:argument.kind = a:kind
    endif
    call s:Execute('profilelens.hottest', [l:argument], function('s:Open'))
endfunction

function! s:Shown(response) abort
    let l:result = s:Result(a:response)
    if type(l:result) is v:t_dict && has_key(l:result, 'kind')
        echomsg 'ProfileLens: showing ' . l:result.kind . ' (loaded: ' . join(get(l:result, 'kinds', []), ', ') . ')'
    endif
endfunction

" Shows KIND in diagnostics (and what "hottest" ranks by); empty: the next loaded kind.
function! profilelens#Kind(kind) abort
    call s:Execute('profilelens.selectKind', empty(a:kind) ? [] : [{'kind': a:kind}], function('s:Shown'))
endfunction

function! s:Summary(response) abort
    let l:result = s:Result(a:response)
    if type(l:result) is v:t_dict
        echomsg 'ProfileLens: ' . get(l:result, 'summary', '')
        for l:key in ['workspaceRoot', 'selectedKind', 'profiles', 'unmapped', 'failures']
            if has_key(l:result, l:key) && !empty(l:result[l:key])
                let l:value = l:result[l:key]
                echomsg '  ' . l:key . ': ' . (type(l:value) is v:t_list ? join(map(copy(l:value), 'type(v:val) is v:t_string ? v:val : json_encode(v:val)'), ', ') : l:value)
            endif
        endfor
    endif
endfunction

function! profilelens#Reload() abort
    call s:Execute('profilelens.reload', v:null, function('s:Summary'))
endfunction

function! profilelens#Status() abort
    call s:Execute('profilelens.status', v:null, function('s:Summary'))
endfunction

function! profilelens#Kinds(...) abort
    return "cpu\nwall\nalloc\ninuse\nmutex\nblock\ngoroutine"
endfunction
