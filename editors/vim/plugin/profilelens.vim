" ProfileLens for Vim with ALE: profiler costs on the lines of code where they happen.
" This folder is a Vim plugin: put it on 'runtimepath' (or `source` this file, which does that),
" and name profilelens in g:ale_linters for go, python and rust (see README.md).
if exists('g:loaded_profilelens')
    finish
endif
let g:loaded_profilelens = 1

" Sourced from a vimrc: put this folder on 'runtimepath', where ALE finds
" ale_linters/<filetype>/profilelens.vim and Vim autoload/profilelens.vim.
let s:folder = fnamemodify(resolve(expand('<sfile>:p')), ':h:h')
if index(map(split(&runtimepath, ','), 'fnamemodify(resolve(expand(v:val)), ":p:h")'), s:folder) < 0
    execute 'set runtimepath+=' . fnameescape(s:folder)
endif

command! -bar -nargs=? -complete=custom,profilelens#Kinds ProfileLensHottest call profilelens#Hottest(0, <q-args>)
command! -bar -nargs=? -complete=custom,profilelens#Kinds ProfileLensHottestInFile call profilelens#Hottest(1, <q-args>)
command! -bar -nargs=? -complete=custom,profilelens#Kinds ProfileLensKind call profilelens#Kind(<q-args>)
command! -bar ProfileLensHover call profilelens#Hover()
command! -bar -nargs=? ProfileLensSymbols call profilelens#Symbols(<q-args>)
command! -bar ProfileLensReload call profilelens#Reload()
command! -bar ProfileLensStatus call profilelens#Status()

" Buffer-local keys in the filetypes ProfileLens runs for; g:profilelens_no_mappings = 1 turns
" them off.
let g:profilelens_filetypes = get(g:, 'profilelens_filetypes',
\   ['go', 'python', 'javascript', 'typescript', 'java', 'rust', 'c', 'cpp', 'swift', 'ruby', 'cs'])

function! s:Map() abort
    if get(g:, 'profilelens_no_mappings', 0)
        return
    endif
    nnoremap <buffer> <silent> <Leader>pd :ProfileLensHover<CR>
    nnoremap <buffer> <Leader>ps :ProfileLensSymbols<Space>
    nnoremap <buffer> <silent> <Leader>ph :ProfileLensHottest<CR>
    nnoremap <buffer> <silent> <Leader>pf :ProfileLensHottestInFile<CR>
    nnoremap <buffer> <silent> <Leader>pk :ProfileLensKind<CR>
    nnoremap <buffer> <silent> <Leader>pr :ProfileLensReload<CR>
endfunction

augroup profilelens
    autocmd!
    execute 'autocmd FileType ' . join(g:profilelens_filetypes, ',') . ' call s:Map()'
augroup END
