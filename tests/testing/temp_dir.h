// TempDir: a fresh temporary directory for one test, removed when the object goes. This is the
// tests' one temp-dir helper; unit and integration tests include it as "testing/temp_dir.h".
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace strata::testing {

// Makes <temp_directory_path()>/strata-<name>-XXXXXX with mkdtemp, so parallel test processes
// never share a directory. The destructor removes it recursively unless the environment has
// STRATA_KEEP_TEST_DIRS=1 (to inspect what a test left behind) or Keep() was called.
//
// Declare a TempDir before the members that open files inside it (a Keyspace, a RocksDB, a
// server process): members are destroyed in reverse order, so the directory then outlives them.
class TempDir {
 public:
  explicit TempDir(std::string_view name = "test") {
    // Absolute even if TMPDIR is relative: the server harness chdirs its child into the path.
    const std::filesystem::path base =
        std::filesystem::absolute(std::filesystem::temp_directory_path());
    const std::string pattern = (base / ("strata-" + std::string(name) + "-XXXXXX")).string();
    path_ = pattern;
    if (::mkdtemp(path_.data()) == nullptr) {
      const int error = errno;  // read before gtest's message machinery can change it
      ADD_FAILURE() << "mkdtemp " << pattern << ": " << std::strerror(error);
      // The unfilled pattern names no directory, so whatever the test opens under it fails
      // with this path in its message instead of landing somewhere else.
      path_ = pattern;
      return;
    }
    made_ = true;
  }

  ~TempDir() {
    if (!made_ || keep_ || KeepAllRequested()) return;
    std::error_code ec;  // a destructor must not throw; a leftover directory is harmless
    std::filesystem::remove_all(path_, ec);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Leaves the directory on disk after this object goes (ServerOptions::keep_dir).
  void Keep() { keep_ = true; }

 private:
  static bool KeepAllRequested() {
    const char* keep = std::getenv("STRATA_KEEP_TEST_DIRS");
    return keep != nullptr && std::string_view(keep) == "1";
  }

  std::string path_;
  bool made_ = false;  // false when mkdtemp failed: path_ is then not ours to remove
  bool keep_ = false;
};

}  // namespace strata::testing
