;;; lsp_mode_test.el --- end-to-end test of editors/emacs/profilelens.el under lsp-mode  -*- lexical-binding: t -*-
;; Run by run-lsp-mode.sh in a real Emacs (tmux pane, Debian's elpa-lsp-mode 8.0 with go-mode and
;; gopls as the main server) after the README's init.el: emacs -nw pricing/pricing.go -l lsp_mode_test.el
;; Env: PL_WS, PL_OUT (JSON observations), PL_CPU (the cpu profile the server reads), PL_NEXT (the one
;; that replaces it).  Steps run from one-shot timers, so the command loop, process filters and
;; lsp-mode's own timers run between them as for a user; commands run through `command-execute',
;; as M-x runs them.  run-lsp-mode.sh judges the results.
(require 'cl-lib)
(require 'json)

(defvar plt-results nil)
(defvar plt-file (expand-file-name "pricing/pricing.go" (getenv "PL_WS")))
(defvar plt-steps nil)
(defvar plt-index -1)
(defvar plt-step-at nil)
(defvar plt-tried-at nil)
(defvar plt-replaced-at nil)
(defvar plt-mark nil)
;; lsp-mode's record of every message to and from the servers, read back when a step times out
(setq lsp-log-io t)

(defun plt-put (key value) (setf (alist-get key plt-results nil nil #'equal) value))
(defun plt-get (key) (alist-get key plt-results nil nil #'equal))
(defun plt-note (key text) (plt-put key (vconcat (plt-get key) (list text))))
(defun plt-since (time) (float-time (time-subtract nil time)))
(defun plt-buffer () (or (get-file-buffer plt-file) (find-file-noselect plt-file)))
(defun plt-goto (line)
  (switch-to-buffer (plt-buffer))
  (goto-char (point-min)) (forward-line (1- line)) (back-to-indentation))
(defun plt-mark-messages () (setq plt-mark (with-current-buffer (messages-buffer) (point-max))))
(defun plt-new-messages ()
  (with-current-buffer (messages-buffer) (buffer-substring-no-properties (min plt-mark (point-max)) (point-max))))
(defun plt-where ()
  (with-current-buffer (window-buffer (selected-window))
    (list (cons "file" (or (buffer-file-name) "")) (cons "mode" (symbol-name major-mode))
          (cons "line" (line-number-at-pos (window-point (selected-window)))))))

(defun plt-lenses (&optional file)
  "The lenses lsp-mode draws in FILE (default pricing.go): ((line . 0-based) (title . text) (action . command))."
  (with-current-buffer (if file (find-file-noselect (expand-file-name file (getenv "PL_WS"))) (plt-buffer))
    (cl-loop for ov in (bound-and-true-p lsp-lens--overlays)
             when (and (overlay-start ov) (overlay-get ov 'lsp-lens-position))
             append (cl-loop for data in (overlay-get ov 'lsp--metadata)
                             ;; lsp-lens-position: lsp-mode 8.0 places lenses at the end of the line in an
                             ;; overlay that starts at the top of the buffer
                             collect (list (cons "line" (1- (line-number-at-pos (overlay-get ov 'lsp-lens-position))))
                                           (cons "title" (substring-no-properties data))
                                           (cons "action" (get-text-property 0 'action data)))))))
(defun plt-lens-json (lenses)
  (vconcat (mapcar (lambda (l) (list (assoc "line" l) (assoc "title" l))) lenses)))

(defun plt-describe ()
  "M-x profilelens-describe-line on line 18; the text it shows."
  (when (get-buffer "*ProfileLens*") (kill-buffer "*ProfileLens*"))
  (plt-goto 18)
  (plt-mark-messages)
  (command-execute 'profilelens-describe-line)
  (concat (if (get-buffer "*ProfileLens*")
              (with-current-buffer "*ProfileLens*" (buffer-substring-no-properties (point-min) (point-max)))
            "")
          (plt-new-messages)))

;;; steps: (name start poll seconds-allowed seconds-between-retries); POLL returns non-nil when done

(defun plt-connect-start () (plt-goto 1))
(defun plt-connect-poll ()
  (with-current-buffer (plt-buffer)
    (let ((workspaces (and (bound-and-true-p lsp-mode) (lsp-workspaces))))
      (plt-put "workspaces"
               (vconcat (mapcar (lambda (w) (list (cons "server" (symbol-name (lsp--client-server-id (lsp--workspace-client w))))
                                                  (cons "status" (format "%s" (lsp--workspace-status w)))))
                                workspaces)))
      (cl-some (lambda (w) (and (eq (lsp--client-server-id (lsp--workspace-client w)) 'profilelens)
                                (eq (lsp--workspace-status w) 'initialized)))
               workspaces))))

(defun plt-describe-start () (plt-put "hover" (plt-describe)))
(defun plt-describe-poll () (string-match-p "CPU" (or (plt-get "hover") "")))

(defun plt-lens-start () (plt-goto 1))
(defun plt-lens-poll ()
  (let ((lenses (plt-lenses)))
    (plt-put "lenses" (plt-lens-json lenses))
    (let ((lines (mapcar (lambda (l) (cdr (assoc "line" l))) lenses)))
      (and (memq 6 lines) (memq 14 lines)))))

(defun plt-click-start ()
  (plt-goto 1)
  (let ((lens (cl-find-if (lambda (l) (and (eq (cdr (assoc "line" l)) 14) (string-match-p "CPU" (cdr (assoc "title" l)))))
                          (plt-lenses))))
    (if lens
        (call-interactively (cdr (assoc "action" lens)))   ; what mouse-1 on the lens runs
      (plt-note "errors" "lens-click: no CPU lens on line 15"))))
(defun plt-click-poll ()
  (when (> (plt-since plt-step-at) 1.0)
    (plt-put "after_lens" (plt-where))
    t))

(defun plt-hottest-start ()
  (find-file (expand-file-name "main.go" (getenv "PL_WS")))
  (goto-char (point-min))
  (unless (cl-some (lambda (w) (eq (lsp--client-server-id (lsp--workspace-client w)) 'profilelens))
                   (and (bound-and-true-p lsp-mode) (lsp-workspaces)))
    (plt-note "waits" "hottest: ProfileLens not yet attached to main.go"))
  (when (and (bound-and-true-p lsp-mode) (cl-some (lambda (w) (eq (lsp--client-server-id (lsp--workspace-client w)) 'profilelens))
                                                  (lsp-workspaces)))
    (plt-mark-messages)
    (command-execute 'profilelens-hottest)
    (plt-put "hottest_messages" (plt-new-messages))))
(defun plt-hottest-poll ()
  (plt-put "after_hottest" (plt-where))
  (string-suffix-p "pricing/pricing.go" (cdr (assoc "file" (plt-where)))))

(defun plt-gopls-waiting ()
  "The requests lsp-mode still waits for gopls to answer."
  (cl-loop for w in (and (bound-and-true-p lsp-mode) (lsp-workspaces))
           when (eq (lsp--client-server-id (lsp--workspace-client w)) 'gopls)
           return (hash-table-count (lsp--client-response-handlers (lsp--workspace-client w)))))

(defun plt-settle-start ()
  (find-file (expand-file-name "main.go" (getenv "PL_WS"))))
(defun plt-settle-poll ()
  ;; gopls type-checks main.go's imports (net/http...) with a cold cache before it answers
  ;; anything about the file, many seconds on a slow machine; lsp-mode shows lenses when every
  ;; server answered, so the select-kind step below would time gopls, not ProfileLens
  (let ((waiting (plt-gopls-waiting)))
    (plt-put "gopls_waiting" waiting)
    (eql waiting 0)))

(defun plt-kind-start ()
  (find-file (expand-file-name "main.go" (getenv "PL_WS")))
  (plt-mark-messages)
  ;; the user's answer to the prompt; what the prompt offered is recorded
  (cl-letf (((symbol-function 'completing-read)
             (lambda (_prompt collection &rest _)
               (plt-put "kinds_offered" (vconcat (all-completions "" collection)))
               "alloc")))
    (command-execute 'profilelens-select-kind))
  (plt-put "select_kind_message" (plt-new-messages)))
(defun plt-kind-poll ()
  ;; main.go's lens over work.func1 leads with the kind shown ("CPU 980ms ..." before): the server
  ;; asks lsp-mode to refresh the lenses, and lsp-mode fetches "Alloc 31.24MB ..."
  (let ((lenses (plt-lenses "main.go")))
    (plt-put "lenses_after_kind" (plt-lens-json lenses))
    (cl-some (lambda (l) (string-prefix-p "Alloc 31" (cdr (assoc "title" l)))) lenses)))

(defun plt-lens-state (file)
  "What lsp-mode holds about FILE's lenses, for a failure: lens mode, the workspaces, the
pending lens request and the answers each client still waits for."
  (with-current-buffer (find-file-noselect (expand-file-name file (getenv "PL_WS")))
    (list (cons "lens_mode" (bound-and-true-p lsp-lens-mode))
          (cons "workspaces" (vconcat (mapcar (lambda (w) (format "%s %s" (lsp--client-server-id (lsp--workspace-client w))
                                                                  (if (memq (current-buffer) (lsp--workspace-buffers w)) "has the buffer" "lacks the buffer")))
                                              (bound-and-true-p lsp--buffer-workspaces))))
          (cons "lens_request" (format "%S" (and (boundp 'lsp--cancelable-requests)
                                                  (gethash (concat (buffer-name) "-lenses") lsp--cancelable-requests))))
          (cons "waiting" (vconcat (mapcar (lambda (w) (format "%s: %s" (lsp--client-server-id (lsp--workspace-client w))
                                                               (hash-table-keys (lsp--client-response-handlers (lsp--workspace-client w)))))
                                           (bound-and-true-p lsp--buffer-workspaces)))))))

(defun plt-io-log ()
  "lsp-mode's log of the messages with ProfileLens, one line per message (and the lens titles
each answer carried), the last 60 messages."
  (let ((buffer (cl-find-if (lambda (b) (string-prefix-p "*lsp-log: profilelens" (buffer-name b))) (buffer-list)))
        lines)
    (when buffer
      (with-current-buffer buffer
        (goto-char (point-min))
        (while (re-search-forward "^\\(\\[Trace - .*\\|.*\"title\": .*\\)$" nil t)
          (push (string-trim (match-string-no-properties 1)) lines))))
    (let* ((lines (nreverse lines))
           (starts (cl-loop for line in lines for i from 0 when (string-prefix-p "[Trace" line) collect i))
           (from (or (nth (max 0 (- (length starts) 60)) starts) 0)))
      (mapconcat #'identity (nthcdr from lines) "\n"))))

(defun plt-kind-hottest-start ()
  (find-file (expand-file-name "main.go" (getenv "PL_WS")))
  (command-execute 'profilelens-hottest))
(defun plt-kind-hottest-poll ()
  (plt-put "after_hottest_alloc" (plt-where))
  (string-suffix-p "inventory/inventory.go" (cdr (assoc "file" (plt-where)))))

(defun plt-reload-start ()
  (unless plt-replaced-at
    (profilelens-select-kind "cpu")
    ;; overwrite the profile in place, as `cp new cpu.pb.gz' or a new `go test -cpuprofile' run does
    (copy-file (getenv "PL_NEXT") (getenv "PL_CPU") t)
    (setq plt-replaced-at (current-time)))
  (plt-put "hover_after_reload" (plt-describe)))
(defun plt-reload-poll ()
  (when (string-match-p "650ms" (or (plt-get "hover_after_reload") ""))
    (plt-put "reload_seconds" (plt-since plt-replaced-at))
    t))

(setq plt-steps
      (list (list "connect" #'plt-connect-start #'plt-connect-poll 30 100)
            (list "describe" #'plt-describe-start #'plt-describe-poll 15 1.5)
            (list "lenses" #'plt-lens-start #'plt-lens-poll 15 100)
            (list "lens-click" #'plt-click-start #'plt-click-poll 5 100)
            (list "hottest" #'plt-hottest-start #'plt-hottest-poll 15 2)
            (list "gopls-settles" #'plt-settle-start #'plt-settle-poll 60 100)
            (list "select-kind" #'plt-kind-start #'plt-kind-poll 2 100)
            (list "hottest-alloc" #'plt-kind-hottest-start #'plt-kind-hottest-poll 5 100)
            (list "reload" #'plt-reload-start #'plt-reload-poll 20 1)))

(defun plt-finish ()
  (setq plt-index (length plt-steps))
  (plt-put "messages" (with-current-buffer (messages-buffer)
                        (let ((text (buffer-substring-no-properties (point-min) (point-max))))
                          (substring text (max 0 (- (length text) 1500))))))
  (let ((coding-system-for-write 'utf-8-unix))
    (with-temp-file (getenv "PL_OUT") (insert (json-encode plt-results))))
  (kill-emacs 0))

(defun plt-run (function name)
  (condition-case err (funcall function)
    (error (plt-note "errors" (format "%s: %s" name (error-message-string err))) nil)))

(defun plt-next ()
  (setq plt-index (1+ plt-index))
  (if (>= plt-index (length plt-steps))
      (plt-finish)
    (setq plt-step-at (current-time) plt-tried-at (current-time))
    (plt-run (nth 1 (nth plt-index plt-steps)) (car (nth plt-index plt-steps)))))

(defun plt-tick ()
  (when (< plt-index (length plt-steps))
    (pcase-let ((`(,name ,start ,poll ,allowed ,retry) (nth plt-index plt-steps)))
      (cond
       ((plt-run poll name) (plt-next))
       ((> (plt-since plt-step-at) allowed)
        (plt-note "timeouts" name)
        (when (equal name "select-kind")
          (plt-put "lens_state" (plt-lens-state "main.go"))
          (plt-put "io_log" (plt-io-log)))
        (plt-next))
       ((> (plt-since plt-tried-at) retry) (setq plt-tried-at (current-time)) (plt-run start name))))
    (when (< plt-index (length plt-steps)) (run-at-time 0.25 nil #'plt-tick))))

(run-at-time 170 nil (lambda () (plt-note "errors" (format "watchdog: gave up at step %s" plt-index)) (plt-finish)))
(run-at-time 0.5 nil (lambda () (plt-next) (plt-tick)))
;;; lsp_mode_test.el ends here
