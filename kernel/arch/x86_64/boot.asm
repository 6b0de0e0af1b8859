; boot.asm — from GRUB's 32-bit hand-off to Prism's 64-bit C entry, kmain().
;
; GRUB loads the kernel ELF because of the multiboot2 header below, then jumps
; to _start in 32-bit protected mode with paging off, EAX = the multiboot2
; magic and EBX = the physical address of the boot information. This file
; checks both that we were booted properly and that the CPU can run 64-bit
; code, builds just enough page tables to turn on long mode, and jumps to the
; kernel's real home in the higher half (0xffffffff80000000 + physical).
; Everything here runs before the kernel can print, so failures are reported
; by writing straight to the VGA text buffer and the COM1 serial port.
; OSTEP ch. 6 (Limited Direct Execution) and ch. 18-20 (paging) set the stage.

bits 32

MULTIBOOT2_HEADER_MAGIC  equ 0xe85250d6
MULTIBOOT2_BOOT_MAGIC    equ 0x36d76289   ; what GRUB leaves in EAX
KERNEL_VIRTUAL_BASE      equ 0xffffffff80000000
DIRECT_MAP_BASE          equ 0xffff800000000000

PTE_PRESENT   equ 1 << 0
PTE_WRITABLE  equ 1 << 1
PTE_HUGE      equ 1 << 7                  ; a 2 MiB page in a page directory

EFER_MSR      equ 0xc0000080
EFER_LME      equ 1 << 8                  ; long mode enable
EFER_NXE      equ 1 << 11                 ; allow the no-execute bit in PTEs
CR0_PG        equ 1 << 31
CR0_WP        equ 1 << 16                 ; kernel honours read-only pages too
CR4_PAE       equ 1 << 5

COM1          equ 0x3f8
VGA_TEXT      equ 0xb8000

; ---------------------------------------------------------------------------
; The multiboot2 header: GRUB scans the first 32 KiB of the file for it.
; ---------------------------------------------------------------------------
section .multiboot2
align 8
multiboot2_header:
    dd MULTIBOOT2_HEADER_MAGIC
    dd 0                                  ; architecture 0: i386 protected mode
    dd multiboot2_header_end - multiboot2_header
    dd -(MULTIBOOT2_HEADER_MAGIC + (multiboot2_header_end - multiboot2_header))

align 8                                   ; information request tag: we cannot
    dw 1, 0                               ; boot without these, so flags = 0
    dd 8 + 3 * 4                          ; (not optional)
    dd 1                                  ; boot command line
    dd 3                                  ; modules (the initrd)
    dd 6                                  ; memory map

align 8                                   ; page-align modules so the initrd
    dw 6, 0                               ; can be mapped without copying
    dd 8

align 8                                   ; end tag
    dw 0, 0
    dd 8
multiboot2_header_end:

; ---------------------------------------------------------------------------
; Boot-time data: lives at its physical address, identity mapped.
; ---------------------------------------------------------------------------
section .boot.bss nobits alloc write
align 4096
boot_pml4:        resb 4096
boot_pdpt_low:    resb 4096               ; first 4 GiB: identity + direct map
boot_pdpt_high:   resb 4096               ; last 2 GiB: the kernel image
boot_pd:          resb 4096 * 4           ; 4 x 512 x 2 MiB = 4 GiB
boot_stack:       resb 4096
boot_stack_top:

section .boot.data
align 16
boot_gdt:                                 ; just enough to enter long mode;
    dq 0                                  ; gdt.c installs the real one
    dq 0x00af9a000000ffff                 ; 0x08: 64-bit code, ring 0
    dq 0x00cf92000000ffff                 ; 0x10: data, ring 0
boot_gdt_end:
boot_gdt_pointer:
    dw boot_gdt_end - boot_gdt - 1
    dd boot_gdt

message_not_multiboot2:
    db "Prism: not started by a multiboot2 boot loader (bad magic). Boot the ISO with GRUB. Halting.", 0
message_no_long_mode:
    db "Prism: this CPU has no 64-bit long mode (CPUID 0x80000001 EDX.LM=0). Prism needs an x86-64 CPU; in QEMU use qemu-system-x86_64 without -cpu qemu32. Halting.", 0

; ---------------------------------------------------------------------------
; 32-bit entry point.
; ---------------------------------------------------------------------------
section .boot.text
global _start
_start:
    cli
    mov esp, boot_stack_top
    mov edi, eax                          ; keep magic and info pointer safe
    mov esi, ebx                          ; in registers C expects them in later

    cmp edi, MULTIBOOT2_BOOT_MAGIC
    jne .not_multiboot2

    ; Does CPUID exist? Only if software can flip EFLAGS.ID (bit 21).
    pushfd
    pop eax
    mov ecx, eax
    xor eax, 1 << 21
    push eax
    popfd
    pushfd
    pop eax
    push ecx
    popfd                                 ; restore the original flags
    cmp eax, ecx
    je .no_long_mode

    mov eax, 0x80000000                   ; highest extended leaf
    cpuid
    cmp eax, 0x80000001
    jb .no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29                     ; LM: long mode
    jz .no_long_mode
    mov ebp, edx                          ; remember NX support (bit 20)

    push edi                              ; the table builder uses edi/esi
    push esi
    call build_boot_page_tables
    pop esi
    pop edi

    mov eax, cr4
    or eax, CR4_PAE                       ; 4-level paging needs PAE
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax

    mov ecx, EFER_MSR
    rdmsr
    or eax, EFER_LME
    test ebp, 1 << 20
    jz .no_nx
    or eax, EFER_NXE
.no_nx:
    wrmsr

    mov eax, cr0
    or eax, CR0_PG | CR0_WP               ; paging on: now in compatibility mode
    mov cr0, eax

    lgdt [boot_gdt_pointer]
    jmp 0x08:long_mode_low                ; load a 64-bit CS: now in long mode

.not_multiboot2:
    mov esi, message_not_multiboot2
    jmp boot_fail
.no_long_mode:
    mov esi, message_no_long_mode
    jmp boot_fail

; Map the first 4 GiB three times with 2 MiB pages: at 0 (so the next
; instruction after enabling paging still exists), at DIRECT_MAP_BASE (so C can
; reach the boot information and all memory) and the first 1 GiB at
; KERNEL_VIRTUAL_BASE (where the kernel is linked). vm_kernel.c replaces these
; with finer-grained tables that drop the identity map and set permissions.
build_boot_page_tables:
    mov edi, boot_pml4                    ; zero every table first: GRUB need
    mov ecx, (4096 * 7) / 4               ; not clear the loader's memory
    xor eax, eax
    rep stosd

    mov eax, boot_pdpt_low + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pml4 + 0 * 8], eax          ; 0x0000000000000000
    mov [boot_pml4 + 256 * 8], eax        ; DIRECT_MAP_BASE
    mov eax, boot_pdpt_high + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pml4 + 511 * 8], eax        ; KERNEL_VIRTUAL_BASE

    mov ecx, 0                            ; PDPT entries 0..3 -> the 4 PDs
.next_pdpt_entry:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pdpt_low + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jne .next_pdpt_entry
    mov eax, boot_pd + PTE_PRESENT + PTE_WRITABLE
    mov [boot_pdpt_high + 510 * 8], eax   ; -2 GiB -> physical 0

    mov ecx, 0                            ; 2048 PD entries, 2 MiB each
.next_pd_entry:
    mov eax, ecx
    shl eax, 21                           ; low 32 bits of the physical address
    or eax, PTE_PRESENT + PTE_WRITABLE + PTE_HUGE
    mov [boot_pd + ecx * 8], eax
    mov eax, ecx
    shr eax, 11                           ; high bits: which GiB (4th GiB = 3)
    mov [boot_pd + ecx * 8 + 4], eax
    inc ecx
    cmp ecx, 2048
    jne .next_pd_entry
    ret

; Print the NUL-terminated string at ESI on VGA (white on red) and COM1, halt.
boot_fail:
    mov edi, VGA_TEXT
.next_char:
    lodsb
    test al, al
    jz .halt
    mov ah, 0x4f
    mov [edi], ax
    add edi, 2
    mov bl, al
    mov dx, COM1 + 5                      ; line status: wait for room
.wait_serial:
    in al, dx
    test al, 0x20
    jz .wait_serial
    mov dx, COM1
    mov al, bl
    out dx, al
    jmp .next_char
.halt:
    mov dx, COM1
    mov al, 13
    out dx, al
    mov al, 10
    out dx, al
.forever:
    hlt
    jmp .forever

; ---------------------------------------------------------------------------
; 64-bit code, still running at its low (identity-mapped) address.
; ---------------------------------------------------------------------------
bits 64
long_mode_low:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rax, higher_half_entry            ; an absolute 64-bit address: jump
    jmp rax                               ; out of the identity map for good

section .text
extern kmain
extern __bss_start
extern __bss_end
higher_half_entry:
    mov rsp, kernel_boot_stack_top
    mov r12d, edi                         ; 32-bit moves zero the upper halves,
    mov r13d, esi                         ; which the mode switch left undefined
    mov r14d, ebp                         ; CPUID 0x80000001 EDX
    mov rdi, __bss_start                  ; C expects zeroed globals; do not
    mov rcx, __bss_end                    ; rely on the loader for it
    sub rcx, rdi
    xor eax, eax
    rep stosb
    mov rdi, r12                          ; kmain(magic, info_phys, has_nx)
    mov rsi, r13
    xor edx, edx
    bt r14d, 20                           ; NX: no-execute pages supported
    setc dl
    xor ebp, ebp                          ; backtraces stop at a zero frame
    push 0                                ; and at a zero return address:
    jmp kmain                             ; kmain never returns

section .bss
align 16
global kernel_boot_stack_bottom
kernel_boot_stack_bottom:
    resb 16384
kernel_boot_stack_top:
