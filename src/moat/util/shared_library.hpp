#pragma once
// Libraries only some commands need (libcurl, libarchive, GPGME) are opened at run time with dlopen
// rather than linked: linking them makes the dynamic loader map and relocate their whole
// dependency trees (TLS, Kerberos, libxml2, ICU, nettle, libassuan...) at the start of every
// command, which costs a small scan most of its time on a machine where page faults are dear.
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat {

/// One shared library opened by soname, kept loaded for the life of the process, whose functions
/// are bound by name into a struct of pointers. Each loader builds one inside a function-local
/// static, which makes loading happen once and thread-safely.
class SharedLibrary {
 public:
  /// Opens `soname` (e.g. "libarchive.so.13"); the error reads "cannot load <soname>: <why>".
  static Result<SharedLibrary> open(std::string soname);

  /// Points `function` at the library's symbol `name`, which must have the type the library's
  /// header declares (callers pass members declared as decltype(&name)). A missing symbol leaves
  /// nullptr and is reported by complete().
  template <typename Function>
  void bind(Function*& function, const char* name) {
    function = reinterpret_cast<Function*>(symbol(name));
  }

  /// Succeeds when every bound symbol was found; otherwise names the first missing one, how many
  /// more there are, and what moat requires (e.g. "libarchive 3.x, libarchive13").
  [[nodiscard]] Result<void> complete(std::string_view requirement) const;

  [[nodiscard]] const std::string& soname() const { return m_soname; }

 private:
  SharedLibrary(void* handle, std::string soname) : m_handle(handle), m_soname(std::move(soname)) {}
  void* symbol(const char* name);

  void* m_handle;
  std::string m_soname;
  std::vector<std::string> m_missing;
};

}  // namespace moat
