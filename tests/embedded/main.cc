// Opens a durable store in the directory given, writes, closes, opens it again and reads back.
// Prints what went wrong and exits 1, or exits 0.
#include <strata/store.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embedded_example DIR\n";
    return 2;
  }
  const std::vector<std::string> args = {"--profile", "session", "--dir", argv[1]};
  {
    auto store = strata::Store::Open(args);
    if (!store.ok()) {
      std::cerr << "open: " << store.status().ToString() << "\n";
      return 1;
    }
    auto client = (*store)->NewClient();
    strata::Reply r = (*store)->Run(*client, {"RPUSH", "jobs", "a", "b"});
    if (r.type != strata::Reply::Type::kInteger || r.integer != 2) {
      std::cerr << "RPUSH answered " << r.str << "\n";
      return 1;
    }
  }
  auto store = strata::Store::Open(args);
  if (!store.ok()) {
    std::cerr << "reopen: " << store.status().ToString() << "\n";
    return 1;
  }
  auto client = (*store)->NewClient();
  strata::Reply r = (*store)->Run(*client, {"LPOP", "jobs"});
  if (r.type != strata::Reply::Type::kBulkString || r.str != "a") {
    std::cerr << "LPOP after reopening answered " << r.str << "\n";
    return 1;
  }
  std::cout << "embedded store: written, closed, reopened, read back\n";
  return 0;
}
