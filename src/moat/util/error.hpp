#pragma once
// Error values for library code: every fallible function returns std::expected<T, moat::Error>.
#include <expected>
#include <string>
#include <utility>

namespace moat {

/// A failure that names what failed (usually a path) and why, ready to show a user.
struct Error {
  std::string subject;  // the file, URL or input the error is about; may be empty
  std::string message;  // what went wrong, one sentence, no trailing period

  /// "subject: message", or just the message when there is no subject.
  [[nodiscard]] std::string to_string() const {
    return subject.empty() ? message : subject + ": " + message;
  }
};

template <typename T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(std::string subject, std::string message) {
  return std::unexpected<Error>(Error{std::move(subject), std::move(message)});
}

}  // namespace moat
