#pragma once
// Data files compiled into moat: MOAT_EMBED_FILE(symbol, "path") at namespace scope assembles the
// file (path given by CMake, which rebuilds the object when the file changes) into read-only data,
// and embedded_text(symbol) is its content.
#include <cstddef>
#include <string_view>

#define MOAT_EMBED_FILE(symbol, path)                                                                      \
  asm(".section .rodata\n.balign 16\n.global " #symbol "_begin\n.hidden " #symbol "_begin\n" #symbol        \
      "_begin:\n.incbin \"" path "\"\n.global " #symbol "_end\n.hidden " #symbol "_end\n" #symbol "_end:\n" \
      ".previous\n");                                                                                        \
  extern "C" const char symbol##_begin[];                                                                    \
  extern "C" const char symbol##_end[]

#define MOAT_EMBEDDED_TEXT(symbol) \
  std::string_view(symbol##_begin, static_cast<std::size_t>(symbol##_end - symbol##_begin))
