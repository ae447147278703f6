#pragma once
// The current time in UTC as text, for report timestamps and expiry dates.
#include <ctime>
#include <string>

namespace moat {

inline std::tm utc_now_parts() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return utc;
}

/// Now, as "2026-01-31T12:00:00Z".
inline std::string utc_timestamp_now() {
  const std::tm utc = utc_now_parts();
  char buffer[32];
  return std::string(buffer, std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc));
}

/// Today, as "2026-01-31".
inline std::string utc_date_today() {
  const std::tm utc = utc_now_parts();
  char buffer[16];
  return std::string(buffer, std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc));
}

}  // namespace moat
