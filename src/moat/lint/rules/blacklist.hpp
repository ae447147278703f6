#pragma once
// Bandit's blacklist data: for each B3xx/B4xx check the names it matches and its message, where
// "{name}" stands for what matched.
#include <array>
#include <span>
#include <string>
#include <string_view>

#include "moat/lint/registry.hpp"

namespace moat::lint::rules {

struct BlacklistEntry {
  Check check;
  std::array<std::string_view, 16> names;  // unused slots are empty
  std::string_view message;
};

std::span<const BlacklistEntry> import_blacklist();
std::string blacklist_message(std::string_view message, std::string_view name);

}  // namespace moat::lint::rules
