// moat inspect throughput on two ~50 MB-uncompressed wheels built here, read end to end (inflate,
// SHA-256, RECORD, metadata, checks, secrets, and for the end-to-end runs the code checks, the
// built-in rules and the native checks, as `moat inspect` runs them):
//   python-heavy: 1,000 generated Python modules (40 MB) and 10 MB of incompressible binaries;
//   realistic: laid out like scipy or pyarrow, ~80% real shared libraries from the machine, ~12% of
//   the standard library's Python modules, the rest data (scripts/make_bench_wheels.py makes both);
//   big-native: the realistic layout with 110 MB of shared libraries, 51 MB on disk.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <random>

#include "../tests/unit/dist/archive_builder.hpp"
#include "moat/cli/code_checks.hpp"
#include "moat/dist/archive.hpp"
#include "moat/dist/inspect.hpp"
#include "moat/dist/member_pool.hpp"
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

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Shared libraries (real ELF objects of 256 KB to 6 MB from the machine, `native_mb` of them), the
/// standard library's modules (~6 MB, tests left out) and CSV and binary data (~4 MB), in name order.
struct RealisticWheel {
  moat::testing::TempDir dir;
  std::filesystem::path path;
  std::uint64_t uncompressed = 0;
  std::string missing;  // why it could not be built

  explicit RealisticWheel(std::uint64_t native_mb) {
    moat::testing::WheelSpec spec;
    spec.name = "native";
    spec.tag = "cp311-cp311-manylinux_2_28_x86_64";
    spec.files.clear();
    std::vector<std::filesystem::path> libraries;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/x86_64-linux-gnu", error))
      if (entry.path().filename().string().find(".so") != std::string::npos) libraries.push_back(entry.path());
    std::ranges::sort(libraries);
    std::uint64_t native = 0;
    std::vector<std::filesystem::path> seen;
    for (const auto& library : libraries) {
      if (native >= native_mb << 20) break;
      const auto real = std::filesystem::canonical(library, error);
      if (error || !std::filesystem::is_regular_file(real) || std::ranges::find(seen, real) != seen.end()) continue;
      const auto size = std::filesystem::file_size(real);
      if (size < (256 << 10) || size > (6 << 20)) continue;
      std::string bytes = file_bytes(real);
      if (!bytes.starts_with("\x7f" "ELF")) continue;
      seen.push_back(real);
      const std::string name = library.filename().string();
      spec.files.emplace_back("native/_libs/" + name.substr(0, name.find(".so")) + ".cpython-311-x86_64-linux-gnu.so",
                              std::move(bytes));
      native += size;
    }
    std::filesystem::path stdlib;
    for (const char* candidate : {"/usr/lib/python3.11", "/usr/lib/python3.12", "/usr/lib/python3.13"})
      if (std::filesystem::is_directory(candidate)) stdlib = candidate;
    if (native < (20 << 20) || stdlib.empty()) {
      missing = "needs ELF libraries in /usr/lib/x86_64-linux-gnu and a Python standard library in /usr/lib";
      return;
    }
    std::vector<std::filesystem::path> modules;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(stdlib, error))
      if (entry.path().extension() == ".py") modules.push_back(entry.path());
    std::ranges::sort(modules);
    std::uint64_t python = 0;
    for (const auto& module : modules) {
      if (python >= 6 << 20) break;
      const auto relative = module.lexically_relative(stdlib);
      if (std::ranges::any_of(relative, [](const std::filesystem::path& part) {
            return part == "test" || part == "tests" || part == "idlelib" || part == "lib2to3" || part == "site-packages" ||
                   part == "dist-packages";
          }))
        continue;
      std::string bytes = file_bytes(module);
      python += bytes.size();
      spec.files.emplace_back("native/" + relative.generic_string(), std::move(bytes));
    }
    std::mt19937 random(7);
    std::uniform_real_distribution<double> value;
    for (int table = 0; table < 40; ++table) {
      std::string rows;
      for (int row = 0; row < 1200; ++row)
        for (int column = 0; column < 8; ++column) rows += std::to_string(value(random)) + (column == 7 ? "\n" : ",");
      spec.files.emplace_back("native/data/table" + std::to_string(table) + ".csv", std::move(rows));
    }
    for (unsigned blob = 0; blob < 4; ++blob)
      spec.files.emplace_back("native/data/blob" + std::to_string(blob) + ".npz", random_bytes(256 << 10, 100 + blob));
    for (const auto& file : spec.files) uncompressed += file.data.size();
    path = dir.write("native-1.0-cp311-cp311-manylinux_2_28_x86_64.whl", moat::testing::build_wheel(spec));
  }
};

/// 53 MB uncompressed, 21.5 MB on disk.
const RealisticWheel& realistic_wheel() {
  static const RealisticWheel wheel(40);
  return wheel;
}

/// A 50 MB wheel in the other sense: 51 MB on disk, 128 MB uncompressed.
const RealisticWheel& big_native_wheel() {
  static const RealisticWheel wheel(110);
  return wheel;
}

/// `moat inspect` end to end on one wheel: every check the command runs, with `jobs` threads
/// checking members. Wall time (UseRealTime) and the process's CPU time on all threads.
void inspect_end_to_end(benchmark::State& state, const std::filesystem::path& wheel, std::uint64_t uncompressed) {
  moat::dist::InspectOptions options;
  options.jobs = static_cast<unsigned>(state.range(0));
  options.python_scanner = moat::cli::python_code_checks({}, moat::cli::load_scan_rules(true, {}));
  options.name_checker = moat::cli::typosquat_check();
  options.member_scanners = {moat::cli::native_binary_checks()};
  for (auto _ : state) {
    auto report = moat::dist::inspect_artifact(wheel, options);
    if (!report) state.SkipWithError("the wheel could not be read");
    benchmark::DoNotOptimize(report);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * uncompressed));
  state.counters["wheel_MB"] = static_cast<double>(std::filesystem::file_size(wheel)) / 1e6;
  state.counters["uncompressed_MB"] = static_cast<double>(uncompressed) / 1e6;
}

void BM_InspectEndToEndPythonHeavy(benchmark::State& state) {
  inspect_end_to_end(state, large_wheel().path, large_wheel().uncompressed);
}
BENCHMARK(BM_InspectEndToEndPythonHeavy)->ArgName("jobs")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MeasureProcessCPUTime();

void inspect_realistic(benchmark::State& state, const RealisticWheel& wheel) {
  if (!wheel.missing.empty()) {
    state.SkipWithError(wheel.missing.c_str());
    for (auto _ : state) {
    }
    return;
  }
  inspect_end_to_end(state, wheel.path, wheel.uncompressed);
}

void BM_InspectEndToEndRealistic(benchmark::State& state) { inspect_realistic(state, realistic_wheel()); }
BENCHMARK(BM_InspectEndToEndRealistic)->ArgName("jobs")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MeasureProcessCPUTime();

void BM_InspectEndToEndBigNative(benchmark::State& state) { inspect_realistic(state, big_native_wheel()); }
BENCHMARK(BM_InspectEndToEndBigNative)->ArgName("jobs")->Arg(2)->Unit(benchmark::kMillisecond)
    ->UseRealTime()->MeasureProcessCPUTime();

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

/// Inflate and SHA-256 of every member, on the calling thread (jobs=0) or on a pool's workers.
void BM_ReadArchiveOnly(benchmark::State& state) {
  const auto& wheel = large_wheel();
  for (auto _ : state) {
    std::optional<moat::dist::MemberPool> pool;
    if (state.range(0) > 0) pool.emplace(static_cast<unsigned>(state.range(0)), std::uint64_t{16} << 20);
    auto contents = moat::dist::read_archive_file(
        wheel.path, {}, [](const moat::dist::EntryInfo&, std::string_view, bool) {}, {}, pool ? &*pool : nullptr);
    benchmark::DoNotOptimize(contents);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wheel.uncompressed));
}
BENCHMARK(BM_ReadArchiveOnly)->ArgName("jobs")->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MeasureProcessCPUTime();

void BM_SecretScan(benchmark::State& state) {
  const std::string text = python_module(1, 8 << 20);
  for (auto _ : state) benchmark::DoNotOptimize(moat::dist::find_secrets(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SecretScan)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
