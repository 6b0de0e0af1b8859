/*
 * test_vm_exit.c — decoding #VMEXITs: IOIO exit information, exit names and
 * counters, the interrupt window, and instruction lengths (no NRIP-save, so
 * the monitor must decode them itself; kernel/virt/vm_exit.c).
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#include <check.h>
#include <string.h>

#include "kernel/virt/vm_exit.h"

START_TEST(test_io_decode_out_byte_to_serial)
{
    struct vm_io_access io;
    vm_io_decode(0x03f80010UL, &io); /* port 0x3f8, SZ8, OUT */
    ck_assert(!io.in);
    ck_assert(!io.string);
    ck_assert_uint_eq(io.bytes, 1);
    ck_assert_uint_eq(io.port, 0x3f8);
    vm_io_decode(0x03fd0011UL, &io); /* IN from 0x3fd */
    ck_assert(io.in);
    ck_assert_uint_eq(io.port, 0x3fd);
    vm_io_decode(0x00800020UL, &io); /* 16-bit OUT to 0x80 */
    ck_assert_uint_eq(io.bytes, 2);
    vm_io_decode(0x00800040UL | 0xc, &io); /* rep outsd */
    ck_assert_uint_eq(io.bytes, 4);
    ck_assert(io.string);
    ck_assert(io.repeat);
}
END_TEST

START_TEST(test_exit_kinds_and_names)
{
    char buffer[24];
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_IOIO, 0x03f80010UL), VM_EXIT_IO_OUT);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_IOIO, 0x03fd0011UL), VM_EXIT_IO_IN);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_CPUID, 0), VM_EXIT_CPUID);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_HLT, 0), VM_EXIT_HLT);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_INTR, 0), VM_EXIT_INTR);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_SHUTDOWN, 0), VM_EXIT_SHUTDOWN);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_NPF, 0), VM_EXIT_NPF);
    ck_assert_int_eq(vm_exit_kind_of(VM_SVM_EXIT_MSR, 0), VM_EXIT_OTHER);
    ck_assert_str_eq(vm_exit_name(VM_SVM_EXIT_SHUTDOWN, buffer, sizeof(buffer)), "SHUTDOWN");
    ck_assert_str_eq(vm_exit_name(0x4e, buffer, sizeof(buffer)), "exception 14");
    ck_assert_str_eq(vm_exit_name(0x81, buffer, sizeof(buffer)), "exit 0x81");
    ck_assert_str_eq(vm_exit_name(VM_SVM_EXIT_INVALID, buffer, sizeof(buffer)), "VMEXIT_INVALID");
}
END_TEST

START_TEST(test_lengths_of_port_instructions)
{
    const uint8_t out_imm[] = {0xe6, 0x80};        /* out 0x80, al */
    const uint8_t out_dx[] = {0xee};               /* out dx, al */
    const uint8_t out_dx_word[] = {0x66, 0xef};    /* out dx, ax */
    const uint8_t in_imm[] = {0xe4, 0x60};         /* in al, 0x60 */
    const uint8_t rep_outsb[] = {0xf3, 0x6e};      /* rep outsb */
    const uint8_t rex_outs[] = {0xf3, 0x48, 0x6f}; /* rep outs with REX.W */
    const uint8_t not_io[] = {0x90, 0x90};
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, out_imm, 2), 2);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, out_dx, 1), 1);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, out_dx_word, 2), 2);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, in_imm, 2), 2);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, rep_outsb, 2), 2);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, rex_outs, 3), 3);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, not_io, 2), 0);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_IOIO, out_imm, 1), 0); /* cut short */
}
END_TEST

START_TEST(test_lengths_of_cpuid_and_hlt)
{
    const uint8_t cpuid[] = {0x0f, 0xa2};
    const uint8_t hlt[] = {0xf4};
    const uint8_t prefixed_hlt[] = {0x2e, 0xf4};
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_CPUID, cpuid, 2), 2);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_CPUID, cpuid, 1), 0);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_HLT, hlt, 1), 1);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_HLT, prefixed_hlt, 2), 2);
    /* the exit code must match the instruction: CPUID bytes are no HLT */
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_HLT, cpuid, 2), 0);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_CPUID, hlt, 1), 0);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_MSR, cpuid, 2), 0);
    ck_assert_uint_eq(vm_instruction_length(VM_SVM_EXIT_HLT, hlt, 0), 0);
}
END_TEST

START_TEST(test_interrupt_window)
{
    ck_assert(vm_interrupt_window_open(0x202, 0));
    ck_assert(!vm_interrupt_window_open(0x002, 0)); /* IF clear */
    ck_assert(!vm_interrupt_window_open(0x202, 1)); /* just after sti */
}
END_TEST

static Suite *vm_exit_suite(void)
{
    Suite *suite = suite_create("vm_exit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_io_decode_out_byte_to_serial);
    tcase_add_test(tc, test_exit_kinds_and_names);
    tcase_add_test(tc, test_lengths_of_port_instructions);
    tcase_add_test(tc, test_lengths_of_cpuid_and_hlt);
    tcase_add_test(tc, test_interrupt_window);
    suite_add_tcase(suite, tc);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(vm_exit_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
