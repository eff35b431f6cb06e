;;; profilelens.el --- Profiler costs on the lines of code where they happen  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (jsonrpc "1.0.9"))
;; Keywords: tools, languages

;;; Commentary:

;; ProfileLens is a language server (`profilelens serve') that puts pprof profile costs on
;; source lines: hover, code lenses, inlay hints, hottest-function jumps.  This file connects
;; it to Emacs in three ways, with the same commands for all:
;;
;; - `profilelens-mode': a minor mode with its own small client (jsonrpc.el), so ProfileLens
;;   runs alongside eglot or lsp-mode and your usual language server (eglot manages one
;;   server per buffer, so it cannot host both).  Hover through eldoc, lenses above
;;   functions, hints at the end of hot lines.
;; - eglot: `profilelens-eglot-setup' registers ProfileLens as the eglot server for the modes
;;   you name (for languages with no other server, or a profiling session); this file then
;;   draws the code lenses and inlay hints that eglot 1.9 does not draw, and answers the
;;   server's refresh and showDocument requests.
;; - lsp-mode: ProfileLens is registered as an add-on client (`:add-on? t'), which lsp-mode
;;   runs next to the buffer's main server; lsp-mode draws the lenses itself (with
;;   `lsp-lens-enable').  lsp-mode 8.0 cannot show documents (`window/showDocument'), so the
;;   commands here, and clicks on ProfileLens lenses, open the location the server returns.
;;
;; eglot and jsonrpc.el read JSON objects as plists, lsp-mode as hash tables (or plists with
;; `lsp-use-plists'): everything read from the server goes through `profilelens--get'.
;;
;; Commands: `profilelens-hottest' (C-c p h), `profilelens-hottest-in-file' (C-c p f),
;; `profilelens-select-kind' (C-c p k), `profilelens-reload' (C-c p r),
;; `profilelens-describe-line' (C-c p d), `profilelens-run-lens' (C-c p l),
;; `profilelens-status' (C-c p s).  The keys are `profilelens-command-map', which
;; `profilelens-mode' puts under C-c p; bind it yourself for eglot or lsp-mode.

;;; Code:

(require 'cl-lib)
(require 'jsonrpc)
(require 'subr-x)
(require 'url-util)

;; lsp-mode, when it is loaded (not needed otherwise).
(defvar lsp--cur-workspace)
(defvar lsp-lens-mode)
(declare-function lsp-workspaces "ext:lsp-mode")
(declare-function lsp-request "ext:lsp-mode")
(declare-function lsp--client-server-id "ext:lsp-mode")
(declare-function lsp--workspace-client "ext:lsp-mode")
(declare-function lsp--text-document-identifier "ext:lsp-mode")
(declare-function lsp-lens-refresh "ext:lsp-lens")
(declare-function lsp--workspace-buffers "ext:lsp-mode")
(declare-function lsp--client-response-handlers "ext:lsp-mode")
(declare-function lsp--request-cleanup-hooks "ext:lsp-mode")
(declare-function lsp--cancel-request "ext:lsp-mode")
(defvar lsp--buffer-workspaces)
(declare-function lsp-register-client "ext:lsp-mode")
(declare-function make-lsp-client "ext:lsp-mode")
(declare-function lsp-stdio-connection "ext:lsp-mode")

(defgroup profilelens nil
  "Profiler costs on source lines."
  :group 'tools)

(defcustom profilelens-program '("profilelens" "serve")
  "The command that starts the ProfileLens server.
The first element is looked up on `exec-path' (PATH); give an absolute file name to use a
binary that is not there."
  :type '(repeat string))

(defcustom profilelens-profiles nil
  "Profile files or folders, relative to the project root.  Nil: discover them."
  :type '(repeat string))

(defcustom profilelens-path-mappings nil
  "Profile path prefixes and the workspace paths they map to, as (FROM . TO) pairs."
  :type '(alist :key-type string :value-type string))

(defcustom profilelens-kind nil
  "The kind lenses and hints show: \"cpu\", \"alloc\", \"inuse\", \"mutex\", \"block\"..."
  :type '(choice (const nil) string))

(defcustom profilelens-hint-threshold nil
  "Percent of the kind's total a line needs for an inlay hint (nil: the server's 1.0)."
  :type '(choice (const nil) number))

(defcustom profilelens-diagnostics nil
  "Publish hot lines as diagnostics."
  :type 'boolean)

(defface profilelens-lens-face '((t :inherit shadow :height 0.9))
  "Face of code lenses above functions.")

(defface profilelens-hint-face '((t :inherit font-lock-comment-face))
  "Face of inlay hints at the end of hot lines.")

(defun profilelens-initialization-options ()
  "The server options, as sent in `initializationOptions'."
  (append
   (when profilelens-profiles (list :profiles (vconcat profilelens-profiles)))
   (when profilelens-path-mappings
     (list :pathMappings (vconcat (mapcar (lambda (m) (list :from (car m) :to (cdr m))) profilelens-path-mappings))))
   (when profilelens-kind (list :kind profilelens-kind))
   (when profilelens-hint-threshold (list :hintThreshold profilelens-hint-threshold))
   (when profilelens-diagnostics (list :diagnostics t))
   (list :discover t)))

;;; JSON objects, paths and positions

(defun profilelens--get (object &rest keys)
  "The value at KEYS (keywords, e.g. :range :start :line) in OBJECT, a JSON object as
eglot and jsonrpc.el read it (a plist) or as lsp-mode does (a hash table with string keys,
or a plist when `lsp-use-plists' is set).  Nil when a key is missing."
  (while (and keys object)
    (let ((key (pop keys)))
      (setq object (cond ((hash-table-p object) (gethash (substring (symbol-name key) 1) object))
                         ((consp object) (plist-get object key))))))
  object)

(defun profilelens--uri (path)
  "The file URI of PATH."
  (concat "file://" (url-hexify-string (expand-file-name path) (append '(?/ ?: ?- ?_ ?. ?~) url-unreserved-chars))))

(defun profilelens--path (uri)
  "The local path of a file URI."
  (url-unhex-string (string-remove-prefix "file://" uri)))

(defun profilelens--text-document ()
  "The buffer's TextDocumentIdentifier, with the URI its client opened it under."
  (if (and (not (profilelens--connection)) (profilelens--lsp-workspace))
      (lsp--text-document-identifier)
    (list :uri (profilelens--uri (buffer-file-name)))))

(defun profilelens--line-position (line)
  "The buffer position of the start of 0-based LINE."
  (save-excursion
    (goto-char (point-min))
    (forward-line line)
    (point)))

;;; The connection to the server for this buffer

(defvar profilelens--connections (make-hash-table :test #'equal)
  "Standalone connections by project root.")

(defvar-local profilelens--standalone nil
  "The standalone connection of a buffer in `profilelens-mode'.")

(defun profilelens--eglot-server ()
  "The eglot server of this buffer, when it is ProfileLens."
  (when (and (fboundp 'eglot-current-server) (bound-and-true-p eglot--managed-mode))
    (let ((server (eglot-current-server)))
      (when (and server (profilelens--server-p server)) server))))

(defun profilelens--server-p (connection)
  "Whether CONNECTION talks to ProfileLens."
  (let ((process (ignore-errors (jsonrpc--process connection))))
    (and process (cl-some (lambda (arg) (string-match-p "profilelens" arg)) (process-command process)))))

(defun profilelens--connection ()
  "The jsonrpc connection to ProfileLens for the current buffer, or nil."
  (or (and profilelens--standalone (jsonrpc-running-p profilelens--standalone) profilelens--standalone)
      (profilelens--eglot-server)))

(defun profilelens--program-missing ()
  "What to tell the user when the program of `profilelens-program' cannot be found, else nil."
  (let ((program (car profilelens-program)))
    (unless (if (file-name-absolute-p program) (file-executable-p program) (executable-find program))
      (format "ProfileLens: `%s' is not on exec-path (PATH): install it (README, Install) or set `profilelens-program'"
              program))))

(defun profilelens--lsp-workspace ()
  "The lsp-mode workspace of ProfileLens in this buffer, or nil."
  (when (and (bound-and-true-p lsp-mode) (fboundp 'lsp-workspaces))
    (cl-find-if (lambda (w) (eq (lsp--client-server-id (lsp--workspace-client w)) 'profilelens))
                (lsp-workspaces))))

(defun profilelens--request (method params)
  "Sends METHOD with PARAMS to the buffer's ProfileLens and returns the result: a plist
through jsonrpc.el (standalone, eglot), a hash table through lsp-mode; read it with
`profilelens--get'."
  (let* ((connection (profilelens--connection))
         (workspace (and (not connection) (profilelens--lsp-workspace))))
    (cond
     (connection (jsonrpc-request connection method params))
     (workspace
      ;; only ProfileLens, not the buffer's other servers (lsp-mode would merge their answers)
      (let ((lsp--cur-workspace workspace))
        (lsp-request (substring (symbol-name method) 1) params)))
     ((profilelens--program-missing) (user-error "%s" (profilelens--program-missing)))
     ((bound-and-true-p lsp-mode)
      (user-error "ProfileLens is not running for this buffer (M-x lsp-describe-session)"))
     (t (user-error "ProfileLens is not running for this buffer (M-x profilelens-mode)")))))

(defun profilelens--execute (command &optional arguments)
  "Runs the server's COMMAND with ARGUMENTS (a vector) and returns its result.
When the result is a location (`profilelens.hottest', `profilelens.openLine'), opens it: the
server shows it itself only to clients that support `window/showDocument', which lsp-mode 8.0
does not; opening it twice where the client does is harmless."
  (let ((result (profilelens--request :workspace/executeCommand
                                      (append (list :command command) (when arguments (list :arguments arguments))))))
    (when (stringp (profilelens--get result :uri))
      (profilelens--show (profilelens--get result :uri) (profilelens--get result :range)))
    (when (member command '("profilelens.selectKind" "profilelens.reload"))
      (profilelens--lsp-refresh-lenses))
    result))

(defun profilelens--lsp-refresh-lenses ()
  "Under lsp-mode, fetches ProfileLens's lenses again in the buffers that show lenses.
The server asks for that itself (`workspace/codeLens/refresh') while it
runs the command, but lsp-mode 8.0 drops the messages that arrive in the
same read as the answer to a synchronous request (its filter stops at
the answer), and the answers to the lens requests that refresh sent are
often among them: the lenses would keep showing the old kind.  The
requests go to ProfileLens alone, as lsp-mode sends the ones a refresh
asks for: a request to all the buffer's servers is shown only when the
slowest answers, and gopls can take many seconds on a file it has just
opened."
  (let ((workspace (and (not (profilelens--connection)) (profilelens--lsp-workspace))))
    (when (and workspace (fboundp 'lsp-lens-refresh) (fboundp 'lsp--workspace-buffers) (boundp 'lsp-lens-mode))
      ;; only where lenses are shown: a buffer whose user turned `lsp-lens-mode' off keeps it off
      (let ((buffers (cl-remove-if-not (lambda (buffer) (and (buffer-live-p buffer) (buffer-local-value 'lsp-lens-mode buffer)))
                                       (lsp--workspace-buffers workspace))))
        ;; all the old requests first: the new ones are lens requests too
        (profilelens--lsp-cancel-lens-requests
         (cl-remove-duplicates (cl-loop for buffer in buffers
                                        append (buffer-local-value 'lsp--buffer-workspaces buffer))))
        (dolist (buffer buffers)
          (with-current-buffer buffer
            (let ((lsp--cur-workspace workspace))
              (lsp-lens-refresh t buffer))))))))

(defun profilelens--lsp-cancel-lens-requests (workspaces)
  "Cancels the lens requests that still wait for an answer from one of WORKSPACES.
They were sent before the command changed what the lenses show.  lsp-mode
shows a request's lenses when the last of its servers answers, and once
one server has answered, a new request no longer cancels it: a gopls busy
with a file it has just opened would bring the old lenses back after the
new ones."
  (when (and (fboundp 'lsp--client-response-handlers) (fboundp 'lsp--cancel-request) (fboundp 'lsp--request-cleanup-hooks))
    (dolist (workspace workspaces)
      (let* ((handlers (lsp--client-response-handlers (lsp--workspace-client workspace)))
             ;; each entry: (callback error-callback method start-time sent-time)
             (stale (cl-loop for id being the hash-keys of handlers using (hash-values entry)
                             when (equal (nth 2 entry) "textDocument/codeLens") collect id)))
        (dolist (id stale)
          ;; as `lsp-cancel-request-by-token' cancels one: forget the answer, tell the server,
          ;; drop the request's cancel hooks
          (let ((lsp--cur-workspace workspace))
            (lsp--cancel-request id))
          (lsp--request-cleanup-hooks id))))))

;;; Server requests and notifications

(defun profilelens--show (uri selection)
  "Opens URI with the start of SELECTION (an LSP range) at point."
  (find-file (profilelens--path uri))
  (goto-char (profilelens--line-position (or (profilelens--get selection :start :line) 0)))
  (back-to-indentation)
  (when (fboundp 'pulse-momentary-highlight-one-line) (pulse-momentary-highlight-one-line (point))))

(defun profilelens-refresh-all ()
  "Redraws lenses and hints in every buffer showing ProfileLens costs."
  (dolist (buffer (buffer-list))
    (with-current-buffer buffer
      (when (bound-and-true-p profilelens-annotations-mode)
        (profilelens-refresh)))))

(defun profilelens--handle-request (_connection method params)
  "Answers the standalone server's requests."
  (pcase method
    ((or 'workspace/codeLens/refresh 'workspace/inlayHint/refresh)
     (run-at-time 0 nil #'profilelens-refresh-all) nil)
    ('window/showDocument
     (profilelens--show (profilelens--get params :uri) (profilelens--get params :selection)) (list :success t))
    (_ nil)))

(defun profilelens--handle-notification (_connection method params)
  "Handles the standalone server's notifications."
  (pcase method
    ('window/showMessage (message "%s" (profilelens--get params :message)))
    ('textDocument/publishDiagnostics nil)
    (_ nil)))

(with-eval-after-load 'eglot
  (cl-defmethod eglot-handle-request (_server (_method (eql workspace/codeLens/refresh)) &rest _)
    (run-at-time 0 nil #'profilelens-refresh-all) nil)
  (cl-defmethod eglot-handle-request (_server (_method (eql workspace/inlayHint/refresh)) &rest _)
    (run-at-time 0 nil #'profilelens-refresh-all) nil)
  (cl-defmethod eglot-handle-request (_server (_method (eql window/showDocument)) &key uri selection &allow-other-keys)
    (profilelens--show uri selection) (list :success t))
  (cl-defmethod eglot-client-capabilities :around (server)
    (let ((capabilities (cl-call-next-method)))
      (when (profilelens--server-p server)
        (let ((workspace (plist-get capabilities :workspace))
              (window (plist-get capabilities :window)))
          (setq workspace (plist-put (plist-put workspace :codeLens '(:refreshSupport t)) :inlayHint '(:refreshSupport t)))
          (setq window (plist-put window :showDocument '(:support t)))
          (setq capabilities (plist-put (plist-put capabilities :workspace workspace) :window window))))
      capabilities))
  (add-hook 'eglot-managed-mode-hook #'profilelens--eglot-managed))

(defun profilelens--eglot-managed ()
  "Draws lenses and hints in buffers whose eglot server is ProfileLens."
  (if (and (bound-and-true-p eglot--managed-mode) (profilelens--eglot-server))
      (profilelens-annotations-mode 1)
    (when (bound-and-true-p profilelens-annotations-mode) (profilelens-annotations-mode -1))))

;;;###autoload
(defun profilelens-eglot-setup (modes)
  "Makes ProfileLens the eglot server for MODES (a list of major modes)."
  (require 'eglot)
  (add-to-list 'eglot-server-programs
               (cons modes (append profilelens-program (list :initializationOptions (profilelens-initialization-options))))))

(with-eval-after-load 'lsp-mode
  (when (fboundp 'lsp-register-client)
    (lsp-register-client
     (make-lsp-client
      :new-connection (lsp-stdio-connection (lambda () profilelens-program))
      :activation-fn (lambda (&rest _) (buffer-file-name))
      :add-on? t
      :server-id 'profilelens
      :initialization-options #'profilelens-initialization-options
      ;; for an lsp-mode that advertises window/showDocument (8.0 does not)
      :request-handlers (let ((handlers (make-hash-table :test #'equal)))
                          (puthash "window/showDocument"
                                   (lambda (_workspace params)
                                     (profilelens--show (profilelens--get params :uri) (profilelens--get params :selection))
                                     (list :success t))
                                   handlers)
                          handlers)
      ;; lens clicks: lsp-mode would send the command and drop the location it returns
      :action-handlers (let ((handlers (make-hash-table :test #'equal)))
                         (dolist (command '("profilelens.openLine" "profilelens.hottest"))
                           (puthash command #'profilelens--lsp-action handlers))
                         handlers)))))

(defun profilelens--lsp-action (command)
  "Runs COMMAND (an LSP Command from a lens lsp-mode drew) and opens the location it returns."
  (profilelens--execute (profilelens--get command :command) (profilelens--get command :arguments)))

;;; Lenses and hints, drawn as overlays

(defvar-local profilelens--overlays nil)

(defun profilelens--clear ()
  (mapc #'delete-overlay profilelens--overlays)
  (setq profilelens--overlays nil))

(defun profilelens-refresh ()
  "Fetches and draws the code lenses and inlay hints of the current buffer."
  (interactive)
  (when (and (buffer-file-name) (profilelens--connection))
    (let* ((connection (profilelens--connection))
           (buffer (current-buffer))
           (document (profilelens--text-document))
           (range (list :start '(:line 0 :character 0) :end (list :line (count-lines (point-min) (point-max)) :character 0))))
      (jsonrpc-async-request
       connection :textDocument/codeLens (list :textDocument document)
       :success-fn (lambda (lenses)
                     (jsonrpc-async-request
                      connection :textDocument/inlayHint (list :textDocument document :range range)
                      :success-fn (lambda (hints)
                                    (when (buffer-live-p buffer)
                                      (with-current-buffer buffer (profilelens--draw lenses hints))))))))))

(defun profilelens--draw (lenses hints)
  "Replaces the buffer's lens and hint overlays."
  (profilelens--clear)
  (save-excursion
    (cl-loop for lens across lenses
             for line = (profilelens--get lens :range :start :line)
             for title = (profilelens--get lens :command :title)
             when title do
             (goto-char (profilelens--line-position line))
             (let* ((indent (buffer-substring (point) (progn (back-to-indentation) (point))))
                    (overlay (make-overlay (line-beginning-position) (line-beginning-position))))
               (overlay-put overlay 'profilelens-lens lens)
               (overlay-put overlay 'profilelens-line line)
               (overlay-put overlay 'before-string (concat indent (propertize title 'face 'profilelens-lens-face) "\n"))
               (push overlay profilelens--overlays)))
    (cl-loop for hint across hints
             for line = (profilelens--get hint :position :line)
             for label = (profilelens--get hint :label)
             when (stringp label) do
             (goto-char (profilelens--line-position line))
             (let ((overlay (make-overlay (line-end-position) (line-end-position))))
               (overlay-put overlay 'profilelens-hint line)
               (overlay-put overlay 'after-string (propertize (concat "  " label) 'face 'profilelens-hint-face))
               (push overlay profilelens--overlays)))))

(defun profilelens-lens-lines ()
  "The 0-based lines that carry a code lens in this buffer."
  (sort (delq nil (mapcar (lambda (o) (overlay-get o 'profilelens-line)) profilelens--overlays)) #'<))

(defun profilelens-hint-lines ()
  "The 0-based lines that carry an inlay hint in this buffer."
  (sort (delq nil (mapcar (lambda (o) (overlay-get o 'profilelens-hint)) profilelens--overlays)) #'<))

(defun profilelens-run-lens ()
  "Runs the code lens of the function at point (the nearest lens at or above point): opens
the function's hottest line.  Works with every client: the lenses are asked for afresh."
  (interactive)
  (let* ((line (1- (line-number-at-pos)))
         (lenses (profilelens--request :textDocument/codeLens (list :textDocument (profilelens--text-document))))
         (lens (car (sort (cl-remove-if-not (lambda (l) (and (profilelens--get l :command)
                                                             (<= (or (profilelens--get l :range :start :line) line) line)))
                                            (append lenses nil))
                          (lambda (a b) (> (or (profilelens--get a :range :start :line) 0)
                                           (or (profilelens--get b :range :start :line) 0))))))
         (command (and lens (profilelens--get lens :command))))
    (if command
        (profilelens--execute (profilelens--get command :command) (profilelens--get command :arguments))
      (message "ProfileLens: no lens at or above point"))))

(define-minor-mode profilelens-annotations-mode
  "Shows ProfileLens code lenses and inlay hints in this buffer."
  :lighter nil
  (if profilelens-annotations-mode
      (progn
        (add-hook 'after-save-hook #'profilelens-refresh nil t)
        (run-at-time 0.2 nil (let ((buffer (current-buffer)))
                               (lambda () (when (buffer-live-p buffer) (with-current-buffer buffer (profilelens-refresh)))))))
    (remove-hook 'after-save-hook #'profilelens-refresh t)
    (profilelens--clear)))

;;; The standalone client: ProfileLens beside any other language server

(defcustom profilelens-root-markers '("go.mod" ".git" "package.json" "Cargo.toml" "pyproject.toml" "pom.xml" "Package.swift")
  "Files that mark the root of a workspace."
  :type '(repeat string))

(defun profilelens--root ()
  "The workspace root of the current buffer: the nearest folder with a root marker."
  (expand-file-name
   (or (cl-some (lambda (marker) (locate-dominating-file default-directory marker)) profilelens-root-markers)
       (and (fboundp 'project-current) (project-current) (project-root (project-current)))
       default-directory)))

(defun profilelens--start (root)
  "Starts (or finds) the standalone server for ROOT."
  (let ((existing (gethash root profilelens--connections)))
    (if (and existing (jsonrpc-running-p existing))
        existing
      (let* ((default-directory root)
             (process (make-process :name "profilelens" :command profilelens-program :connection-type 'pipe
                                    :coding 'utf-8-emacs-unix :noquery t
                                    :stderr (get-buffer-create " *profilelens stderr*")))
             (connection (make-instance 'jsonrpc-process-connection
                                        :name "profilelens" :process process
                                        :request-dispatcher #'profilelens--handle-request
                                        :notification-dispatcher #'profilelens--handle-notification)))
        (jsonrpc-request connection :initialize
                         (list :processId (emacs-pid)
                               :rootUri (profilelens--uri root)
                               :capabilities '(:workspace (:codeLens (:refreshSupport t) :inlayHint (:refreshSupport t))
                                               :window (:showDocument (:support t)))
                               :initializationOptions (profilelens-initialization-options)))
        (jsonrpc-notify connection :initialized (make-hash-table))
        (puthash root connection profilelens--connections)
        connection))))

(defvar-local profilelens--version 0)
(defvar-local profilelens--change-timer nil)

(defun profilelens--send-text ()
  "Sends the whole text of the buffer as a new version."
  (when (and profilelens-mode (profilelens--connection))
    (cl-incf profilelens--version)
    (let ((text (save-restriction (widen) (buffer-substring-no-properties (point-min) (point-max)))))
      (jsonrpc-notify (profilelens--connection) :textDocument/didChange
                      (list :textDocument (list :uri (profilelens--uri (buffer-file-name)) :version profilelens--version)
                            :contentChanges (vector (list :text text)))))
    (profilelens-refresh)))

(defun profilelens--did-change (&rest _)
  "Sends the buffer's text after a pause in typing (whole-text sync: the server keeps the
costs of unchanged lines where they are)."
  (when profilelens--change-timer (cancel-timer profilelens--change-timer))
  (let ((buffer (current-buffer)))
    (setq profilelens--change-timer
          (run-with-idle-timer 0.3 nil (lambda ()
                                         (when (buffer-live-p buffer)
                                           (with-current-buffer buffer (profilelens--send-text))))))))

(defun profilelens--did-close ()
  (when (profilelens--connection)
    (jsonrpc-notify (profilelens--connection) :textDocument/didClose (list :textDocument (profilelens--text-document)))))

(defun profilelens-eldoc (callback &rest _)
  "Shows the line's costs through eldoc."
  (when (profilelens--connection)
    (jsonrpc-async-request
     (profilelens--connection) :textDocument/hover
     (list :textDocument (profilelens--text-document) :position (list :line (1- (line-number-at-pos)) :character 0))
     :success-fn (lambda (hover)
                   (let ((value (profilelens--get hover :contents :value)))
                     (funcall callback (and value (replace-regexp-in-string "\\*\\*\\|_" "" value))))))
    t))

(defvar profilelens-command-map
  (let ((map (make-sparse-keymap)))
    (define-key map "h" #'profilelens-hottest)
    (define-key map "f" #'profilelens-hottest-in-file)
    (define-key map "k" #'profilelens-select-kind)
    (define-key map "r" #'profilelens-reload)
    (define-key map "d" #'profilelens-describe-line)
    (define-key map "l" #'profilelens-run-lens)
    (define-key map "s" #'profilelens-status)
    map)
  "The ProfileLens commands, under C-c p in `profilelens-mode'.
With eglot or lsp-mode, bind it yourself, e.g.
  (define-key go-mode-map (kbd \"C-c p\") profilelens-command-map)")

;;;###autoload
(define-minor-mode profilelens-mode
  "Shows profiler costs from ProfileLens in this buffer, beside any other language server."
  :lighter " PL"
  :keymap (let ((map (make-sparse-keymap)))
            (define-key map (kbd "C-c p") profilelens-command-map)
            map)
  (cond
   ((not profilelens-mode)
    (profilelens--did-close)
    (remove-hook 'after-change-functions #'profilelens--did-change t)
    (remove-hook 'kill-buffer-hook #'profilelens--did-close t)
    (remove-hook 'eldoc-documentation-functions #'profilelens-eldoc t)
    (profilelens-annotations-mode -1)
    (setq profilelens--standalone nil))
   ((not (buffer-file-name)) (setq profilelens-mode nil))
   ((profilelens--program-missing)
    (setq profilelens-mode nil)
    (message "%s" (profilelens--program-missing)))
   (t
    (setq profilelens--standalone (profilelens--start (profilelens--root)))
    (setq profilelens--version 1)
    (jsonrpc-notify profilelens--standalone :textDocument/didOpen
                    (list :textDocument (list :uri (profilelens--uri (buffer-file-name)) :languageId "text" :version 1
                                              :text (save-restriction (widen) (buffer-substring-no-properties (point-min) (point-max))))))
    (add-hook 'after-change-functions #'profilelens--did-change nil t)
    (add-hook 'kill-buffer-hook #'profilelens--did-close nil t)
    (add-hook 'eldoc-documentation-functions #'profilelens-eldoc nil t)
    (profilelens-annotations-mode 1))))

;;; Commands

(defun profilelens-hottest (&optional scope kind)
  "Jumps to the hottest line of the hottest function of the workspace (or of SCOPE, a
document URI), ranked by KIND (default: the kind shown)."
  (interactive)
  (unless (profilelens--get (profilelens--execute "profilelens.hottest"
                                                  (vector (append (list :scope (or scope "workspace")) (when kind (list :kind kind)))))
                            :uri)
    (message "ProfileLens: nothing profiled here")))

(defun profilelens-hottest-in-file ()
  "Jumps to the hottest function of this file."
  (interactive)
  (profilelens-hottest (profilelens--get (profilelens--text-document) :uri)))

(defun profilelens-select-kind (kind)
  "Shows KIND (\"cpu\", \"alloc\", ...) in lenses and hints; empty: the next kind."
  (interactive
   (list (let ((status (profilelens--request :workspace/executeCommand (list :command "profilelens.status"))))
           (completing-read (format "Kind (now %s; empty: the next one): " (profilelens--get status :selectedKind))
                            (append (profilelens--get status :kinds) nil)))))
  (let ((result (profilelens--execute "profilelens.selectKind" (if (string-empty-p kind) [] (vector (list :kind kind))))))
    (message "ProfileLens: showing %s" (profilelens--get result :kind))))

(defun profilelens-reload ()
  "Loads the profiles again."
  (interactive)
  (message "ProfileLens: %s" (profilelens--get (profilelens--execute "profilelens.reload") :summary)))

(defun profilelens--format (value)
  "VALUE, read from the server, as text."
  (cond ((stringp value) value)
        ((vectorp value) (mapconcat #'profilelens--format value ", "))
        ((null value) "")
        (t (require 'json) (json-encode value))))

(defun profilelens-status ()
  "Shows what ProfileLens has loaded: profiles, kinds, unmapped files, failures."
  (interactive)
  (let ((status (profilelens--execute "profilelens.status")))
    (with-help-window "*ProfileLens status*"
      (dolist (field '(:summary :workspaceRoot :selectedKind :kinds :profiles :unmapped :failures))
        (princ (format "%-14s %s\n" (substring (symbol-name field) 1) (profilelens--format (profilelens--get status field))))))))

(defun profilelens-describe-line ()
  "Shows the costs of the line at point."
  (interactive)
  (let* ((hover (profilelens--request :textDocument/hover
                                      (list :textDocument (profilelens--text-document)
                                            :position (list :line (1- (line-number-at-pos)) :character 0))))
         (text (profilelens--get hover :contents :value)))
    (if text (with-help-window "*ProfileLens*" (princ text)) (message "ProfileLens: no cost on this line"))))

(provide 'profilelens)
;;; profilelens.el ends here
