// Damaged and hand-made binaries: every one must give a clean report, never a crash (run these
// under the asan-ubsan preset), and broken headers must be MOAT-N002 findings with a reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "moat/native/native.hpp"
#include "unit/native/synthetic.hpp"

namespace moat::native {
namespace {

using testing::bytes_of;

std::string sample_library() {
  static const std::string data = [] {
    const auto path = testing::compile_c("libsample.so",
                                         "#include <string.h>\nconst char *zlibVersion(void) { return \"1.2.13\"; }\n"
                                         "int copy(char *a, const char *b) { strcpy(a, b); return 0; }\n",
                                         "-shared -fPIC -O2 -Wl,-rpath,\\$ORIGIN");
    return path.empty() ? std::string() : testing::read_all(path);
  }();
  return data;
}

template <typename T>
void put(std::string& data, std::size_t offset, T value) {
  if (offset + sizeof value <= data.size()) std::memcpy(data.data() + offset, &value, sizeof value);
}

bool reported_malformed(const BinaryReport& report) {
  const auto findings = native_findings(report);
  return std::ranges::any_of(findings, [](const Finding& finding) { return finding.rule_id == "MOAT-N002"; });
}

TEST(NativeMalformed, EveryTruncationIsHandled) {
  const auto data = sample_library();
  ASSERT_FALSE(data.empty());
  for (std::size_t length = 0; length < data.size(); length += std::max<std::size_t>(1, length < 256 ? 1 : data.size() / 97)) {
    const auto report = analyze_binary("libsample.so", bytes_of(data.substr(0, length)));
    if (length >= 4 && length < 64) {
      EXPECT_NE(report.parse_error.find("truncated"), std::string::npos) << length;
    }
    if (length >= 4) {
      EXPECT_TRUE(reported_malformed(report)) << length;
    }
    static_cast<void>(to_json(report).dump());
  }
}

TEST(NativeMalformed, HugeProgramHeaderCountIsAReason) {
  auto data = sample_library();
  ASSERT_FALSE(data.empty());
  put<std::uint16_t>(data, 56, 0xffff);
  const auto report = analyze_binary("libsample.so", bytes_of(data));
  EXPECT_FALSE(report.facts);
  EXPECT_NE(report.parse_error.find("program header table"), std::string::npos) << report.parse_error;
  EXPECT_TRUE(reported_malformed(report));
}

TEST(NativeMalformed, BadOffsetsBecomeAnomalies) {
  auto data = sample_library();
  ASSERT_FALSE(data.empty());
  put<std::uint64_t>(data, 40, 0xffffffffffff0000ULL);  // e_shoff
  put<std::uint16_t>(data, 60, 0x7fff);                 // e_shnum
  const auto report = analyze_binary("libsample.so", bytes_of(data));
  ASSERT_TRUE(report.facts) << report.parse_error;
  EXPECT_TRUE(reported_malformed(report));
  // The dynamic section is still read through the program headers.
  EXPECT_EQ(report.libraries.size(), 1U);
}

TEST(NativeMalformed, OverlappingAndOutOfRangeSegments) {
  auto data = sample_library();
  ASSERT_FALSE(data.empty());
  std::uint64_t phoff = 0;
  std::memcpy(&phoff, data.data() + 32, sizeof phoff);
  std::uint16_t phnum = 0;
  std::memcpy(&phnum, data.data() + 56, sizeof phnum);
  for (std::uint16_t index = 0; index < phnum; ++index) {
    const auto at = static_cast<std::size_t>(phoff) + 56U * index;
    put<std::uint64_t>(data, at + 8, index % 2 == 0 ? 0 : 0xfffffffffffffff0ULL);  // p_offset
    put<std::uint64_t>(data, at + 32, 0x7fffffffffffffffULL);                       // p_filesz
  }
  const auto report = analyze_binary("libsample.so", bytes_of(data));
  EXPECT_TRUE(reported_malformed(report));
}

TEST(NativeMalformed, RandomByteFlipsNeverCrash) {
  const auto original = sample_library();
  ASSERT_FALSE(original.empty());
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    auto data = original;
    const int flips = 1 + static_cast<int>(random() % 16);
    for (int flip = 0; flip < flips; ++flip) {
      // Mostly the headers and dynamic tables, where the parser looks.
      const auto limit = random() % 4 == 0 ? data.size() : std::min<std::size_t>(data.size(), 4096);
      data[random() % limit] = static_cast<char>(random());
    }
    const auto report = analyze_binary("libz.so.1", bytes_of(data));
    static_cast<void>(native_findings(report));
    static_cast<void>(to_json(report).dump());
  }
}

// --- Mach-O and PE built byte by byte -------------------------------------------------------

class Image {
 public:
  template <typename T>
  std::size_t add(T value) {
    const auto at = bytes_.size();
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
    return at;
  }
  std::size_t add_text(std::string_view text, std::size_t padded) {
    const auto at = bytes_.size();
    bytes_.append(text);
    bytes_.append(padded - text.size(), '\0');
    return at;
  }
  template <typename T>
  void set(std::size_t at, T value) {
    std::memcpy(bytes_.data() + at, &value, sizeof value);
  }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

// A 64-bit x86_64 Mach-O bundle with an absolute dependency, a /tmp rpath and an executable stack.
std::string macho_bundle() {
  Image image;
  image.add<std::uint32_t>(0xfeedfacf);
  image.add<std::uint32_t>(0x01000007);
  image.add<std::uint32_t>(3);
  image.add<std::uint32_t>(8);  // MH_BUNDLE
  const auto count_at = image.add<std::uint32_t>(0);
  const auto size_at = image.add<std::uint32_t>(0);
  image.add<std::uint32_t>(0x20000);  // MH_ALLOW_STACK_EXECUTION
  image.add<std::uint32_t>(0);
  const auto commands_start = image.bytes().size();
  image.add<std::uint32_t>(0xc);  // LC_LOAD_DYLIB
  image.add<std::uint32_t>(24 + 48);
  image.add<std::uint32_t>(24);
  image.add<std::uint32_t>(0);
  image.add<std::uint32_t>(0);
  image.add<std::uint32_t>(0);
  image.add_text("/usr/local/opt/openssl/lib/libssl.3.dylib", 48);
  image.add<std::uint32_t>(0x8000001c);  // LC_RPATH
  image.add<std::uint32_t>(12 + 12);
  image.add<std::uint32_t>(12);
  image.add_text("/tmp/build", 12);
  image.set<std::uint32_t>(count_at, 2);
  image.set<std::uint32_t>(size_at, static_cast<std::uint32_t>(image.bytes().size() - commands_start));
  return image.bytes();
}

TEST(NativeMacho, ThinBundleFacts) {
  const auto data = macho_bundle();
  const auto report = analyze_binary("_ext.cpython-311-darwin.so", bytes_of(data));
  ASSERT_TRUE(report.facts) << report.parse_error;
  EXPECT_EQ(report.facts->format, BinaryFormat::macho);
  EXPECT_EQ(report.facts->architecture, "x86_64");
  EXPECT_EQ(report.facts->kind, BinaryKind::shared_library);
  ASSERT_EQ(report.facts->needed.size(), 1U);
  EXPECT_EQ(report.facts->needed[0], "/usr/local/opt/openssl/lib/libssl.3.dylib");
  EXPECT_FALSE(report.hardening.nx);
  const auto findings = native_findings(report);
  for (const char* rule : {"MOAT-N003", "MOAT-N009", "MOAT-N013"})
    EXPECT_TRUE(std::ranges::any_of(findings, [&](const Finding& finding) { return finding.rule_id == rule; })) << rule;
}

TEST(NativeMacho, FatBinaryPicksTheX86Slice) {
  const auto slice = macho_bundle();
  Image fat;
  const auto big = [](std::uint32_t value) { return __builtin_bswap32(value); };
  fat.add<std::uint32_t>(big(0xcafebabe));
  fat.add<std::uint32_t>(big(2));
  const std::uint32_t first = 64;
  const auto second = static_cast<std::uint32_t>(first + slice.size() + 64);
  for (const auto& [cpu, offset] : {std::pair{0x0100000cU, first}, std::pair{0x01000007U, second}}) {
    fat.add<std::uint32_t>(big(cpu));
    fat.add<std::uint32_t>(0);
    fat.add<std::uint32_t>(big(offset));
    fat.add<std::uint32_t>(big(static_cast<std::uint32_t>(slice.size())));
    fat.add<std::uint32_t>(big(12));
  }
  fat.bytes().resize(first, '\0');
  auto arm_slice = slice;
  std::uint32_t arm64 = 0x0100000c;
  std::memcpy(arm_slice.data() + 4, &arm64, 4);
  fat.bytes() += arm_slice;
  fat.bytes().resize(second, '\0');
  fat.bytes() += slice;
  const auto report = analyze_binary("_ext.so", bytes_of(fat.bytes()));
  ASSERT_TRUE(report.facts) << report.parse_error;
  EXPECT_EQ(report.facts->architecture, "x86_64");
  EXPECT_EQ(report.facts->macho.slices, (std::vector<std::string>{"arm64", "x86_64"}));

  auto truncated = fat.bytes();
  truncated.resize(second + 10);
  EXPECT_FALSE(analyze_binary("_ext.so", bytes_of(truncated)).facts);
}

// A PE32+ DLL without DYNAMIC_BASE, NX_COMPAT or CFG, with one section.
std::string pe_dll(std::uint16_t dll_characteristics) {
  Image image;
  image.add<std::uint16_t>(0x5a4d);
  image.bytes().resize(0x3c, '\0');
  image.add<std::uint32_t>(0x40);
  image.add<std::uint32_t>(0x00004550);
  image.add<std::uint16_t>(0x8664);
  image.add<std::uint16_t>(1);  // sections
  image.add<std::uint32_t>(0);
  image.add<std::uint32_t>(0);
  image.add<std::uint32_t>(0);
  image.add<std::uint16_t>(112 + 16 * 8);
  image.add<std::uint16_t>(0x2022);  // DLL | EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  const auto optional = image.add<std::uint16_t>(0x20b);
  image.bytes().resize(optional + 70, '\0');
  image.add<std::uint16_t>(dll_characteristics);
  image.bytes().resize(optional + 108, '\0');
  image.add<std::uint32_t>(16);
  image.bytes().resize(optional + 112 + 16 * 8, '\0');
  image.add_text(".text", 8);
  image.add<std::uint32_t>(0x200);  // virtual size
  image.add<std::uint32_t>(0x1000);
  image.add<std::uint32_t>(0x200);
  image.add<std::uint32_t>(0x400);  // raw offset
  image.bytes().resize(image.bytes().size() + 12, '\0');
  image.add<std::uint32_t>(0x60000020);
  image.bytes().resize(0x600, '\0');
  return image.bytes();
}

TEST(NativePe, WeakDllIsReported) {
  const auto data = pe_dll(0);
  const auto report = analyze_binary("zlib1.dll", bytes_of(data));
  ASSERT_TRUE(report.facts) << report.parse_error;
  EXPECT_EQ(report.facts->format, BinaryFormat::pe);
  EXPECT_EQ(report.facts->kind, BinaryKind::shared_library);
  EXPECT_EQ(report.hardening.aslr, false);
  EXPECT_FALSE(report.hardening.nx);
  const auto findings = native_findings(report);
  for (const char* rule : {"MOAT-N003", "MOAT-N011", "MOAT-N012"})
    EXPECT_TRUE(std::ranges::any_of(findings, [&](const Finding& finding) { return finding.rule_id == rule; })) << rule;
  EXPECT_EQ(report.libraries.size(), 1U);  // zlib, by name
}

TEST(NativePe, HardenedFlagsAreRead) {
  const auto data = pe_dll(0x4000 | 0x100 | 0x40 | 0x20);
  const auto report = analyze_binary("x.dll", bytes_of(data));
  ASSERT_TRUE(report.facts);
  EXPECT_TRUE(report.hardening.nx);
  EXPECT_EQ(report.hardening.control_flow_guard, true);
  EXPECT_EQ(report.hardening.high_entropy_va, true);
  EXPECT_EQ(report.hardening.aslr, false);  // no .reloc directory
}

TEST(NativePe, TruncatedHeadersAreReasons) {
  const auto data = pe_dll(0);
  for (const std::size_t length : {2UL, 0x3eUL, 0x44UL, 0x60UL, 0x100UL}) {
    const auto report = analyze_binary("x.dll", bytes_of(data.substr(0, length)));
    EXPECT_FALSE(report.facts) << length;
    EXPECT_FALSE(report.parse_error.empty()) << length;
  }
}

}  // namespace
}  // namespace moat::native
