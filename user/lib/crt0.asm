; crt0.asm — where every user program begins: _start calls main, then exit.
;
; The kernel's exec (OSTEP ch. 5) builds the new stack and enters here with
; rdi = argc and rsi = argv (NULL-terminated, on that stack), which are
; already the System V calling convention's argument registers.
; Rule (System V AMD64 ABI, "process initialization"): rsp % 16 == 0 at
; _start. The `call main` below pushes 8 bytes, so main starts with
; rsp % 16 == 8, as every function does; SSE code that spills to aligned
; stack slots (movaps) relies on it. _start records its rsp in
; crt0_start_rsp so cputest can check the kernel kept the rule.
; main's return value goes to exit(), which flushes buffered stdout before
; the exit system call (user/lib/stdio.c).

bits 64
default rel

extern main
extern exit
global _start
global crt0_start_rsp

section .text.entry
_start:
    mov [crt0_start_rsp], rsp ; for the alignment test; no register is touched
    xor ebp, ebp        ; frame-pointer chain ends here: debuggers stop unwinding
    call main           ; main(argc = rdi, argv = rsi)
    mov edi, eax        ; exit(main's return value)
    call exit
.unreachable:           ; exit never returns; if it did, trap rather than run on
    ud2

section .bss
align 8
crt0_start_rsp: resq 1

; This object needs no executable stack (keeps the linker from assuming one).
section .note.GNU-stack noalloc noexec nowrite progbits
