#pragma once
// Transparent huge pages for the heaps that hold per-file work.
//
// Each first touch of a 4 KB heap page is a page fault, and in a virtual machine a fault costs
// tens of microseconds: a Bandit-mode scan of the CPython standard library touched about 30 MB of
// heap, 7,400 faults and about a quarter of its CPU time. Where the kernel gives huge pages only to
// memory that asks for them (the usual `madvise` setting), glibc's heaps do not ask unless
// GLIBC_TUNABLES says so before start-up; these calls ask for them. Advice only: with another
// libc, a sanitizer's allocator or huge pages disabled they do nothing.
namespace moat {

/// At the start of main, before any thread: the main heap is grown by 64 MB of address space (not
/// yet memory) and advised, and later growth comes in 64 MB steps.
void advise_huge_pages_for_main_heap();

/// At the start of a worker thread: the heap (glibc arena) its allocations come from is advised.
void advise_huge_pages_for_thread_heap();

}  // namespace moat
