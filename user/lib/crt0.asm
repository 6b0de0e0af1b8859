; crt0.asm — where every user program begins: _start calls main, then exit.
;
; The kernel's exec (OSTEP ch. 5) builds the new stack and enters here with
; rdi = argc and rsi = argv (NULL-terminated, on that stack) and rsp 16-byte
; aligned, which is already the System V calling convention's argument
; registers. main's return value goes to exit(), which flushes buffered
; stdout before the exit system call (user/lib/stdio.c).

bits 64
default rel

extern main
extern exit
global _start

section .text.entry
_start:
    xor ebp, ebp        ; frame-pointer chain ends here: debuggers stop unwinding
    call main           ; main(argc = rdi, argv = rsi); rsp was 16-aligned before the call
    mov edi, eax        ; exit(main's return value)
    call exit
.unreachable:           ; exit never returns; if it did, trap rather than run on
    ud2

; This object needs no executable stack (keeps the linker from assuming one).
section .note.GNU-stack noalloc noexec nowrite progbits
