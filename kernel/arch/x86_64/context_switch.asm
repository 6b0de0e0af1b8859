; context_switch.asm — how one process stops running and another starts.
;
;   void context_switch(struct context **save_here, struct context *next);
;
; The running process calls this (from inside the kernel, e.g. in sched_yield)
; and, from its own point of view, simply returns later, when some other
; process switches back to it. Only the callee-saved registers need saving:
; the C calling convention already lets the caller assume rax, rcx, rdx, rsi,
; rdi, r8-r11 are clobbered by any call. The saved registers are pushed on the
; old process's kernel stack, so a "context" is just a stack pointer; the
; return address that `call` pushed is the saved program counter.
; OSTEP ch. 6, Figure 6.4 ("xv6 context switch code"): the same idea in x86-64.

bits 64
section .text

; struct context (lowest address first, as this routine leaves it on the
; stack): r15, r14, r13, r12, rbx, rbp, rip.

global context_switch
context_switch:
    ; LAB switch BEGIN: stub
    ;> ud2                     ; TODO(switch): save the old process's callee-saved
    ;>                         ; registers, FP and SP; load the new one's; return
    ;>                         ; into it. Until then the first switch panics here.
    push rbp                ; FP: the old process's frame pointer
    push rbx                ; callee-saved registers, in the order that
    push r12                ; struct context expects them (reversed, since
    push r13                ; the stack grows down)
    push r14
    push r15
    mov [rdi], rsp          ; SP: the old process's context is "where its stack is now"
    mov rsp, rsi            ; switch to the new process's kernel stack
    pop r15                 ; restore the new process's callee-saved registers,
    pop r14                 ; saved when it last called context_switch
    pop r13                 ; (or made up by fork for a brand-new process)
    pop r12
    pop rbx
    pop rbp                 ; FP: the new process's frame pointer
    ret                     ; PC: pop the saved rip and continue the new process there
    ; LAB switch END

; A brand-new process (made by fork or for init) starts here the first time it
; is switched to: its made-up context "returns" into this label with rsp
; pointing at the trap frame at the top of its kernel stack, and trap_return
; restores the user registers from that frame and drops to user mode.
extern trap_return
global new_process_start
new_process_start:
    ; LAB switch BEGIN: stub
    ;> ud2                     ; TODO(switch): continue where a trap returns to user mode
    jmp trap_return
    ; LAB switch END
