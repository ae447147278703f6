// libFuzzer target: the ELF (and Mach-O/PE) parsers and everything that reads their facts.
// Run: ./build/fuzz/fuzz/moat_elf_fuzz -max_total_time=60 tests/fixtures/native/corpus
#include <cstddef>
#include <cstdint>
#include <span>

#include "moat/native/native.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  const auto report = moat::native::analyze_binary("fuzz/libz-062372f2.so.1", bytes);
  static_cast<void>(moat::native::native_findings(report));
  static_cast<void>(moat::native::to_json(report).dump());
  return 0;
}
