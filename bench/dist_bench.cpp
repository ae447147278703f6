// moat inspect throughput on a large wheel built here: ~50 MB uncompressed of Python modules and
// binary extension-like files, read end to end (inflate, SHA-256, RECORD, metadata, checks, secrets).
#include <benchmark/benchmark.h>

#include <random>

#include "../tests/unit/dist/archive_builder.hpp"
#include "moat/dist/archive.hpp"
#include "moat/dist/inspect.hpp"
#include "moat/dist/secrets.hpp"

namespace {

using moat::testing::TestEntry;

/// Python source that compresses like real code (about 4:1), different in every module.
std::string python_module(std::size_t index, std::size_t bytes) {
  std::string out = "\"\"\"Module " + std::to_string(index) + ".\"\"\"\nimport os\nimport sys\n\n";
  std::mt19937 random(static_cast<unsigned>(index));
  while (out.size() < bytes) {
    const auto n = random();
    out += "def function_" + std::to_string(n % 100000) + "(value, other=None):\n    \"\"\"Return a value.\"\"\"\n"
           "    if other is None:\n        other = value * " + std::to_string(n % 97) + "\n"
           "    result = [item for item in range(value) if item % " + std::to_string(n % 13 + 2) + "]\n"
           "    return sum(result) + other  # " + std::to_string(n) + "\n\n";
  }
  return out;
}

std::string random_bytes(std::size_t bytes, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(bytes, '\0');
  for (auto& byte : out) byte = static_cast<char>(random() & 0xFF);
  return out;
}

struct LargeWheel {
  moat::testing::TempDir dir;
  std::filesystem::path path;
  std::uint64_t uncompressed = 0;

  LargeWheel() {
    moat::testing::WheelSpec spec;
    spec.name = "large";
    spec.files.clear();
    for (std::size_t index = 0; index < 1000; ++index)  // 40 MB of Python in 40 KB modules
      spec.files.emplace_back("large/sub" + std::to_string(index % 20) + "/mod" + std::to_string(index) + ".py",
                              python_module(index, 40 << 10));
    for (unsigned index = 0; index < 5; ++index)  // 10 MB of incompressible binaries
      spec.files.emplace_back("large/_ext" + std::to_string(index) + ".cpython-311-x86_64-linux-gnu.so",
                              random_bytes(2 << 20, index));
    for (const auto& file : spec.files) uncompressed += file.data.size();
    path = dir.write("large-1.0-py3-none-any.whl", moat::testing::build_wheel(spec));
  }
};

const LargeWheel& large_wheel() {
  static const LargeWheel wheel;
  return wheel;
}

void BM_InspectLargeWheel(benchmark::State& state) {
  const auto& wheel = large_wheel();
  moat::dist::InspectOptions options;
  options.secrets = state.range(0) != 0;
  for (auto _ : state) {
    auto report = moat::dist::inspect_artifact(wheel.path, options);
    if (!report || !report->findings.empty()) state.SkipWithError("the large wheel should inspect clean");
    benchmark::DoNotOptimize(report);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wheel.uncompressed));
  state.counters["wheel_MB"] = static_cast<double>(std::filesystem::file_size(wheel.path)) / 1e6;
  state.counters["uncompressed_MB"] = static_cast<double>(wheel.uncompressed) / 1e6;
}
BENCHMARK(BM_InspectLargeWheel)->ArgName("secrets")->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReadArchiveOnly(benchmark::State& state) {
  const auto& wheel = large_wheel();
  for (auto _ : state) {
    auto contents = moat::dist::read_archive_file(wheel.path, {}, [](const moat::dist::EntryInfo&, std::string_view, bool) {});
    benchmark::DoNotOptimize(contents);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wheel.uncompressed));
}
BENCHMARK(BM_ReadArchiveOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SecretScan(benchmark::State& state) {
  const std::string text = python_module(1, 8 << 20);
  for (auto _ : state) benchmark::DoNotOptimize(moat::dist::find_secrets(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SecretScan)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
