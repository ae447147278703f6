#include "moat/util/shared_library.hpp"

#include <dlfcn.h>

namespace moat {

Result<SharedLibrary> SharedLibrary::open(std::string soname) {
  // RTLD_LOCAL keeps the library's symbols out of the global namespace; the handle is never
  // closed, so the bound pointers stay valid until the process exits.
  void* handle = ::dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    std::string message = "cannot load " + soname;
    // dlerror() usually begins with the name it was given; say it once.
    std::string_view detail = why != nullptr ? why : "unknown error";
    if (detail.starts_with(soname + ": ")) detail.remove_prefix(soname.size() + 2);
    return fail("", message + ": " + std::string(detail));
  }
  return SharedLibrary(handle, std::move(soname));
}

void* SharedLibrary::symbol(const char* name) {
  void* address = ::dlsym(m_handle, name);
  if (address == nullptr) m_missing.emplace_back(name);
  return address;
}

Result<void> SharedLibrary::complete(std::string_view requirement) const {
  if (m_missing.empty()) return {};
  std::string missing = m_missing.front();
  if (m_missing.size() > 1) missing += " and " + std::to_string(m_missing.size() - 1) + " more functions moat needs";
  return fail("", "cannot load " + m_soname + ": it lacks " + missing + " (moat requires " + std::string(requirement) + ")");
}

}  // namespace moat
