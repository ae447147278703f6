#pragma once
// Test helpers: C libraries compiled at test time (deterministic, no third-party binaries in the
// repository) and whole-file reads.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace moat::native::testing {

inline std::filesystem::path scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto path = std::filesystem::temp_directory_path() / ("moat-native-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return dir;
}

/// Compiles `source` (C) into scratch_dir()/output with `flags`; empty path when no compiler.
inline std::filesystem::path compile_c(const std::string& output, const std::string& source, const std::string& flags) {
  const auto dir = scratch_dir();
  const auto source_path = dir / (output + ".c");
  std::ofstream(source_path) << source;
  const auto output_path = dir / output;
  const std::string command = "cc " + flags + " -o '" + output_path.string() + "' '" + source_path.string() + "' 2>&1";
  if (std::system(command.c_str()) != 0) return {};
  return output_path;
}

inline std::string read_all(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

inline std::span<const std::byte> bytes_of(const std::string& data) { return std::as_bytes(std::span(data.data(), data.size())); }

/// The standard output of a shell command.
inline std::string shell_output(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  ::pclose(pipe);
  return out;
}

}  // namespace moat::native::testing
