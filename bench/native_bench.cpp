// Identification, hardening and CVE matching of real shared libraries: every regular *.so* file
// under /usr/lib/x86_64-linux-gnu (override with MOAT_NATIVE_BENCH_DIR), read into memory first;
// and the same checks over every shared object of a 50 MB wheel built from those libraries.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "moat/cli/code_checks.hpp"
#include "moat/dist/inspect.hpp"
#include "moat/native/artifact.hpp"
#include "moat/native/libraries.hpp"
#include "moat/native/native.hpp"
#include "unit/dist/archive_builder.hpp"

namespace {

struct Corpus {
  std::vector<std::pair<std::string, std::string>> files;  // name, bytes
  std::size_t bytes = 0;
};

const Corpus& corpus() {
  static const Corpus loaded = [] {
    Corpus result;
    const char* override_dir = std::getenv("MOAT_NATIVE_BENCH_DIR");
    const std::filesystem::path dir = override_dir != nullptr ? override_dir : "/usr/lib/x86_64-linux-gnu";
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      const auto name = entry.path().filename().string();
      if (entry.is_symlink() || !entry.is_regular_file() || name.find(".so") == std::string::npos) continue;
      std::ifstream stream(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << stream.rdbuf();
      const auto data = text.str();
      if (!moat::native::looks_like_binary(std::as_bytes(std::span(data.data(), data.size())))) continue;
      result.bytes += data.size();
      result.files.emplace_back(name, data);
    }
    return result;
  }();
  return loaded;
}

void BM_AnalyzeSystemLibraries(benchmark::State& state) {
  const auto& files = corpus();
  for (auto _ : state) {
    for (const auto& [name, data] : files.files) {
      auto report = moat::native::analyze_binary(name, std::as_bytes(std::span(data.data(), data.size())));
      benchmark::DoNotOptimize(moat::native::native_findings(report));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.files.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(files.bytes));
  state.counters["binaries"] = static_cast<double>(files.files.size());
  state.counters["MB"] = static_cast<double>(files.bytes) / 1e6;
}
BENCHMARK(BM_AnalyzeSystemLibraries)->Unit(benchmark::kMillisecond);

void BM_ParseOnly(benchmark::State& state) {
  const auto& files = corpus();
  for (auto _ : state)
    for (const auto& [name, data] : files.files)
      benchmark::DoNotOptimize(moat::native::parse_binary(std::as_bytes(std::span(data.data(), data.size()))));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.files.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(files.bytes));
}
BENCHMARK(BM_ParseOnly)->Unit(benchmark::kMillisecond);

// Library identification alone (version symbols, banners, nodes, file names), the facts parsed
// beforehand: mostly the one pass over every byte that looks for version banners.
void BM_IdentifyLibraries(benchmark::State& state) {
  const auto& files = corpus();
  std::vector<moat::native::BinaryFacts> facts;
  for (const auto& [name, data] : files.files)
    facts.push_back(moat::native::parse_binary(std::as_bytes(std::span(data.data(), data.size())))
                        .value_or(moat::native::BinaryFacts{}));
  for (auto _ : state)
    for (std::size_t index = 0; index < files.files.size(); ++index) {
      const auto& [name, data] = files.files[index];
      benchmark::DoNotOptimize(
          moat::native::identify_libraries(name, std::as_bytes(std::span(data.data(), data.size())), facts[index]));
    }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.files.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(files.bytes));
}
BENCHMARK(BM_IdentifyLibraries)->Unit(benchmark::kMillisecond);

// A wheel of at least 50 MB (compressed, as on PyPI) whose members are Debian's shared libraries
// under 16 MB each (in directory order), beside a package with one module, in a temporary file.
struct Wheel {
  std::vector<std::pair<std::string, std::string>> members;  // path inside, bytes
  std::size_t member_bytes = 0;
  std::filesystem::path file;
  std::size_t file_bytes = 0;
};

const Wheel& wheel_50mb() {
  static const moat::testing::TempDir directory;
  static const Wheel built = [] {
    Wheel result;
    moat::testing::WheelSpec spec;
    spec.name = "bench_native";
    spec.tag = "cp311-cp311-manylinux_2_36_x86_64";
    spec.files = {{"bench_native/__init__.py", "VALUE = 1\n"}};
    std::string archive;
    // Shared objects compress about 2.5:1: build once the estimate passes 50 MB, then every 10 MB more.
    std::size_t next_build = std::size_t{125} << 20;
    for (const auto& [name, data] : corpus().files) {
      if (data.size() > (std::size_t{16} << 20)) continue;
      spec.files.emplace_back("bench_native.libs/" + name, data);
      result.members.emplace_back("bench_native.libs/" + name, data);
      result.member_bytes += data.size();
      if (result.member_bytes < next_build) continue;
      archive = moat::testing::build_wheel(spec);
      if (archive.size() >= (std::size_t{50} << 20)) break;
      next_build += std::size_t{10} << 20;
    }
    if (archive.size() < (std::size_t{50} << 20)) archive = moat::testing::build_wheel(spec);
    result.file = directory.write("bench_native-1.0-" + spec.tag + ".whl", archive);
    result.file_bytes = archive.size();
    return result;
  }();
  return built;
}

void set_wheel_counters(benchmark::State& state, const Wheel& wheel) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wheel.member_bytes));
  state.counters["shared_objects"] = static_cast<double>(wheel.members.size());
  state.counters["wheel_MB"] = static_cast<double>(wheel.file_bytes) / 1e6;
  state.counters["unpacked_MB"] = static_cast<double>(wheel.member_bytes) / 1e6;
}

// The native checks alone (identification, hardening, CVEs, platform tag, findings, summary) over
// every shared object of the wheel, its members already in memory.
void BM_NativeChecksOfWheel50MB(benchmark::State& state) {
  const auto& wheel = wheel_50mb();
  for (auto _ : state) {
    moat::native::AnalyzeOptions options;
    options.claimed_platform_tag = "manylinux_2_36_x86_64";
    moat::native::ArtifactScanner scanner(options);
    for (const auto& [path, data] : wheel.members)
      scanner.add_member("bench.whl!/" + path, path, std::as_bytes(std::span(data.data(), data.size())));
    benchmark::DoNotOptimize(std::move(scanner).finish());
  }
  set_wheel_counters(state, wheel);
}
BENCHMARK(BM_NativeChecksOfWheel50MB)->Unit(benchmark::kMillisecond);

// `moat inspect` of the wheel file with only the native checks: decompression included.
void BM_InspectWheel50MBNativeOnly(benchmark::State& state) {
  const auto& wheel = wheel_50mb();
  moat::dist::InspectOptions options;
  options.secrets = false;
  options.member_scanners = {moat::cli::native_binary_checks()};
  for (auto _ : state) benchmark::DoNotOptimize(moat::dist::inspect_artifact(wheel.file, options));
  set_wheel_counters(state, wheel);
}
BENCHMARK(BM_InspectWheel50MBNativeOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
