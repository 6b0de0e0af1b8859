/*
 * version.h — the kernel's version, and which build this is.
 *
 * PRISM_BUILD comes from build/generated/build_id.h, which the Makefile
 * rewrites only when the git revision changes, so an unchanged tree does not
 * recompile on every make.
 * Build infrastructure; no OSTEP chapter.
 */
#ifndef PRISM_KERNEL_VERSION_H
#define PRISM_KERNEL_VERSION_H

#include "build_id.h"

#define PRISM_VERSION "0.1.0"

#endif
