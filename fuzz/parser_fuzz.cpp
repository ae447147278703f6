// libFuzzer target: the lexer and parser (all target versions, pattern mode) and the dump must
// never crash, hang or leak on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "moat/python/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the source.
  const std::uint8_t selector = data[0];
  const std::string_view source(reinterpret_cast<const char*>(data + 1), size - 1);
  moat::python::ParseOptions options;
  options.target = static_cast<moat::python::PythonVersion>(11 + (selector & 3));
  options.patterns = (selector & 4) != 0;
  const auto parsed = options.patterns ? moat::python::parse_pattern(source, options) : moat::python::parse(source, options);
  if (parsed.ok()) {
    const std::string text = moat::python::dump(parsed, (selector & 8) != 0);
    if (text.empty()) __builtin_trap();
  }
  return 0;
}
