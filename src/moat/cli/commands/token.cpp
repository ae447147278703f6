// `moat token`: inspect a PyPI API token read from standard input (never from the command line).
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "moat/cli/command.hpp"
#include "moat/publish/token.hpp"

namespace moat::cli {

namespace {

constexpr std::size_t kMaxInput = 64 * 1024;

struct TokenArguments {
  std::string format = "text";
  std::optional<std::int64_t> at;
};

/// Turns terminal echo off while the token is typed or pasted, and back on afterwards.
class EchoOff {
 public:
  EchoOff() {
    if (::isatty(STDIN_FILENO) == 0 || ::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  ~EchoOff() {
    if (active_) {
      ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
      std::fputc('\n', stderr);
    }
  }

 private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> read_token_input() {
  const bool interactive = ::isatty(STDIN_FILENO) != 0;
  if (interactive) std::fputs("Paste the PyPI token (input hidden), then press Enter: ", stderr);
  EchoOff echo_off;
  std::string input;
  char buffer[4096];
  while (input.size() <= kMaxInput) {
    if (interactive) {  // one line is enough on a terminal
      if (std::fgets(buffer, sizeof buffer, stdin) == nullptr) break;
      input += buffer;
      if (input.ends_with('\n')) break;
      continue;
    }
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, stdin);
    if (got == 0) break;
    input.append(buffer, got);
  }
  if (input.size() > kMaxInput) return std::nullopt;
  return input;
}

int run_token(const CLI::App& command, const TokenArguments& arguments) {
  if (!command.remaining().empty()) {
    // Never echo the arguments: they may be the token itself.
    std::fputs("moat token: the token is read from standard input only (arguments end up in shell history "
               "and process lists); run `moat token` and paste it, or `moat token < FILE`\n",
               stderr);
    return kExitFailure;
  }
  const auto input = read_token_input();
  if (!input) {
    std::fputs("moat token: standard input is too large to be a PyPI token\n", stderr);
    return kExitFailure;
  }
  const std::int64_t now =
      arguments.at.value_or(std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  auto inspection = publish::inspect_token(*input, now);
  if (!inspection) {
    std::fprintf(stderr, "moat token: %s\n", inspection.error().to_string().c_str());
    return kExitFailure;
  }
  const std::string rendered = arguments.format == "json" ? publish::token_json(*inspection).dump(2) + "\n"
                                                          : publish::render_token_text(*inspection);
  std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  std::fflush(stdout);
  return inspection->warnings.empty() ? kExitClean : kExitFindings;
}

}  // namespace

void configure_token_command(CLI::App& command, CommandRunner& run) {
  auto arguments = std::make_shared<TokenArguments>();
  command.add_option("--format", arguments->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  command.add_option("--at", arguments->at, "Judge expiry at this Unix time instead of now");
  command.allow_extras();
  command.footer("The token is read from standard input. Exit code: 0 no warnings, 1 warnings (user-wide, "
                 "non-expiring, expired...), 2 not a valid token.");
  run = [&command, arguments] { return run_token(command, *arguments); };
}

}  // namespace moat::cli
