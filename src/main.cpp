#include <malloc.h>

#include <cstdio>
#include <exception>

#include "moat/cli/command.hpp"
#include "moat/util/huge_pages.hpp"

int main(int argc, char** argv) {
  // Files, archive members and token vectors of a few hundred KB are allocated and freed all the
  // time. By default glibc maps each one separately and unmaps it when freed, so each reuse page
  // faults again; kept in the heap, they are reused. The size limits on buffers bound the heap.
  // Page faults of a Bandit-mode stdlib scan 10,100 -> 7,300; of inspecting the realistic 50 MB
  // benchmark wheel 11,700 -> 9,100 (a few percent of the wall clock on this machine).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  // And huge pages for the heaps: 7,400 -> 1,500 faults and about a quarter less CPU time on the
  // same scan (util/huge_pages.hpp).
  moat::advise_huge_pages_for_main_heap();
  try {
    return moat::cli::run_moat(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "moat: internal error: %s\n", error.what());
    return moat::cli::kExitFailure;
  }
}
