#include "integration/server_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef STRATA_SERVER_PATH
#error "STRATA_SERVER_PATH must name the strata-server binary"
#endif
#ifndef STRATA_SOURCE_DIR
#error "STRATA_SOURCE_DIR must name the source tree (for conf/)"
#endif

namespace strata::testing {
namespace {

namespace fs = std::filesystem;

// Asks the kernel for a free loopback port: bind port 0, read it back, close. Another process
// could take it before the server binds; Start() retries with a new port when that happens.
int PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    socklen_t len = sizeof(addr);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
  }
  ::close(fd);
  return port;
}

int ConnectLoopback(int port, std::string* error) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    *error = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

std::string Tail(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return "...\n" + text.substr(text.size() - max_bytes);
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

// ---- ServerProcess ----------------------------------------------------------------------------

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  if (options_.dir.empty()) {
    owned_dir_.emplace("it");
    if (options_.keep_dir) owned_dir_->Keep();
    dir_ = owned_dir_->path();
  } else {
    std::error_code ec;
    fs::create_directories(options_.dir, ec);
    dir_ = fs::absolute(options_.dir).string();
  }
  log_path_ = dir_ + "/strata-server.log";
}

// The owned directory (if any) is removed by owned_dir_'s destructor, after the server is dead.
ServerProcess::~ServerProcess() { Kill9(); }

::testing::AssertionResult ServerProcess::Start() {
  if (running()) return ::testing::AssertionFailure() << "server already running";
  if (port_ != 0) return Launch();  // a restart keeps its port
  // First start: a port picked by PickFreePort can be taken before the server binds it.
  ::testing::AssertionResult result = ::testing::AssertionFailure();
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = PickFreePort();
    if (port_ == 0) return ::testing::AssertionFailure() << "no free port";
    result = Launch();
    if (result) return result;
    if (running()) return result;  // running but not answering: not a port clash
  }
  return result;
}

::testing::AssertionResult ServerProcess::Launch() {
  std::vector<std::string> args = {STRATA_SERVER_PATH};
  if (!options_.config_file.empty()) {
    args.push_back(options_.config_file);
  } else if (!options_.profile.empty()) {
    args.push_back(std::string(STRATA_SOURCE_DIR) + "/conf/" + options_.profile + ".conf");
  }
  for (const std::string& a : {std::string("--port"), std::to_string(port_), std::string("--bind"),
                               std::string("127.0.0.1"), std::string("--dir"), dir_}) {
    args.push_back(a);
  }
  args.insert(args.end(), options_.directives.begin(), options_.directives.end());

  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return ::testing::AssertionFailure() << "open " << log_path_ << ": " << std::strerror(errno);
  }
  {
    std::string banner = "==== harness: starting";
    for (const auto& a : args) banner += " " + a;
    banner += "\n";
    (void)!::write(log_fd, banner.data(), banner.size());
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log_fd);
    return ::testing::AssertionFailure() << "fork: " << std::strerror(errno);
  }
  if (pid == 0) {
    // Child: never outlive the test binary, even if it crashes.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    if (::chdir(dir_.c_str()) != 0) ::_exit(127);
    ::execv(argv[0], argv.data());
    std::string msg = std::string("exec ") + argv[0] + ": " + std::strerror(errno) + "\n";
    (void)!::write(2, msg.data(), msg.size());
    ::_exit(127);
  }
  ::close(log_fd);
  pid_ = pid;

  auto deadline = Clock::now() + options_.start_timeout;
  while (Clock::now() < deadline) {
    if (auto code = Reap(false)) {
      return ::testing::AssertionFailure()
             << "strata-server exited with code " << *code << " before answering PING on port "
             << port_ << "; log:\n"
             << Tail(LogText(), 4000);
    }
    if (PingOnce()) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(milliseconds(10));
  }
  return ::testing::AssertionFailure()
         << "strata-server did not answer PING on port " << port_ << " within "
         << options_.start_timeout.count() << " ms; log:\n"
         << Tail(LogText(), 4000);
}

bool ServerProcess::PingOnce() const {
  std::string error;
  int fd = ConnectLoopback(port_, &error);
  if (fd < 0) return false;
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  static constexpr std::string_view kPing = "*1\r\n$4\r\nPING\r\n";
  bool ok =
      ::send(fd, kPing.data(), kPing.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(kPing.size());
  std::string got;
  char buf[64];
  while (ok && got.find("\r\n") == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  // A server still loading answers -LOADING; that is not ready.
  return got.rfind("+PONG\r\n", 0) == 0;
}

std::optional<int> ServerProcess::Reap(bool block) {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) {
    pid_ = -1;
    return ExitCodeOf(status);
  }
  if (r < 0 && errno == ECHILD) {
    pid_ = -1;
    return -1;
  }
  return std::nullopt;
}

std::optional<int> ServerProcess::WaitForExit(milliseconds timeout) {
  if (!running()) return std::nullopt;
  auto deadline = Clock::now() + timeout;
  while (true) {
    pid_t pid = pid_;
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      pid_ = -1;
      return ExitCodeOf(status);
    }
    if (r < 0 && errno != EINTR) {
      pid_ = -1;
      return -1;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(10));
  }
}

int ServerProcess::Stop(milliseconds timeout) {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  if (auto code = WaitForExit(timeout)) return *code;
  ADD_FAILURE() << "strata-server ignored SIGTERM for " << timeout.count()
                << " ms; killing it. Log:\n"
                << Tail(LogText(), 2000);
  Kill9();
  return -1;
}

void ServerProcess::Kill9() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  Reap(true);
  pid_ = -1;
}

::testing::AssertionResult ServerProcess::Restart() {
  if (running()) {
    int code = Stop();
    if (code != 0) {
      return ::testing::AssertionFailure() << "SIGTERM stop exited with code " << code << "; log:\n"
                                           << Tail(LogText(), 4000);
    }
  }
  return Start();
}

::testing::AssertionResult ServerProcess::CrashAndRestart() {
  Kill9();
  return Start();
}

std::string ServerProcess::LogText() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t ServerProcess::RssBytes() const {
  if (!running()) return 0;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtoll(line.c_str() + 6, nullptr, 10) * 1024;  // reported in kB
    }
  }
  return 0;
}

// ---- RespClient -------------------------------------------------------------------------------

RespClient::RespClient(int port, milliseconds timeout) : timeout_(timeout) {
  fd_ = ConnectLoopback(port, &last_error_);
  if (fd_ >= 0) {
    int flags = ::fcntl(fd_, F_GETFL, 0);
    ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
  }
}

RespClient::~RespClient() { Close(); }

void RespClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string RespClient::Encode(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

bool RespClient::WaitFor(short events, Clock::time_point deadline) {
  while (true) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

bool RespClient::SendRaw(std::string_view bytes) {
  if (fd_ < 0) {
    last_error_ = "not connected";
    return false;
  }
  // The deadline restarts whenever bytes move, so a large send is bounded by progress, not size.
  auto deadline = Clock::now() + timeout_;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      deadline = Clock::now() + timeout_;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(POLLOUT, deadline)) {
        last_error_ = "timeout writing to the server";
        return false;
      }
      continue;
    }
    last_error_ = std::string("send: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool RespClient::Fill(Clock::time_point deadline) {
  if (fd_ < 0) {
    last_error_ = "not connected";
    return false;
  }
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  char chunk[1 << 16];
  while (true) {
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) {
      last_error_ = "connection closed by the server";
      return false;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFor(POLLIN, deadline)) {
        last_error_ = "timeout waiting for a reply (" + std::to_string(timeout_.count()) + " ms)";
        return false;
      }
      continue;
    }
    last_error_ = std::string("recv: ") + std::strerror(errno);
    return false;
  }
}

std::optional<ReplyValue> RespClient::ReadReply() {
  auto deadline = Clock::now() + timeout_;
  while (true) {
    ReplyValue v;
    std::string_view pending(buffer_.data() + consumed_, buffer_.size() - consumed_);
    int64_t used = pending.empty() ? 0 : protocol::ReadReply(pending, &v);
    if (used < 0) {
      last_error_ = "malformed reply: " + std::string(pending.substr(0, 80));
      return std::nullopt;
    }
    if (used > 0) {
      consumed_ += static_cast<size_t>(used);
      return v;
    }
    if (!Fill(deadline)) return std::nullopt;
    // Progress on a big reply extends the deadline.
    deadline = Clock::now() + timeout_;
  }
}

std::optional<std::string> RespClient::ReadRaw(size_t n) {
  auto deadline = Clock::now() + timeout_;
  while (buffer_.size() - consumed_ < n) {
    if (!Fill(deadline)) return std::nullopt;
  }
  std::string out = buffer_.substr(consumed_, n);
  consumed_ += n;
  return out;
}

std::string_view RespClient::Pending() const {
  return std::string_view(buffer_.data() + consumed_, buffer_.size() - consumed_);
}

bool RespClient::WaitForClose(milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (!Fill(deadline))
      return last_error_ == "connection closed by the server" || last_error_.rfind("recv:", 0) == 0;
  }
  return false;
}

ReplyValue RespClient::Command(const std::vector<std::string>& args) {
  ReplyValue error;
  error.type = ReplyValue::Type::kError;
  std::string name = args.empty() ? "" : args[0];
  if (!SendRaw(Encode(args))) {
    ADD_FAILURE() << "sending " << name << ": " << last_error_;
    error.str = "IO " + last_error_;
    return error;
  }
  auto reply = ReadReply();
  if (!reply) {
    ADD_FAILURE() << "reading the reply to " << name << ": " << last_error_;
    error.str = "IO " + last_error_;
    return error;
  }
  return *reply;
}

std::vector<ReplyValue> RespClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::string out;
  for (const auto& c : commands) out += Encode(c);
  std::vector<ReplyValue> replies;
  replies.reserve(commands.size());
  if (!SendRaw(out)) {
    ADD_FAILURE() << "sending a pipeline of " << commands.size() << ": " << last_error_;
    return replies;
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    auto reply = ReadReply();
    if (!reply) {
      ADD_FAILURE() << "reading reply " << i << " of a pipeline of " << commands.size() << ": "
                    << last_error_;
      return replies;
    }
    replies.push_back(std::move(*reply));
  }
  return replies;
}

// ---- Helpers ----------------------------------------------------------------------------------

std::string Str(const ReplyValue& v) {
  using T = ReplyValue::Type;
  switch (v.type) {
    case T::kSimple:
    case T::kBulk:
    case T::kError:
    case T::kVerbatim:
      return v.str;
    default:
      return v.DebugString();
  }
}

bool IsNil(const ReplyValue& v) { return v.type == ReplyValue::Type::kNull; }
bool IsError(const ReplyValue& v) { return v.type == ReplyValue::Type::kError; }

std::map<std::string, std::string> ParseInfo(std::string_view text) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t colon = line.find(':');
    if (!line.empty() && line[0] != '#' && colon != std::string_view::npos) {
      out[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 1));
    }
    pos = eol + 1;
  }
  return out;
}

std::string InfoField(RespClient& client, const std::string& section, const std::string& field) {
  ReplyValue v = client.Command({"INFO", section});
  if (v.type != ReplyValue::Type::kBulk && v.type != ReplyValue::Type::kVerbatim) return "";
  auto info = ParseInfo(v.str);
  auto it = info.find(field);
  return it == info.end() ? "" : it->second;
}

bool PollUntil(const std::function<bool()>& condition, milliseconds timeout,
               milliseconds interval) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (Clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(interval);
  }
}

int64_t UnixMillis() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t BlockedClients(RespClient& admin) {
  auto info = ParseInfo(admin.Command({"INFO", "clients"}).str);
  return std::stoll(info["blocked_clients"]);
}

std::unique_ptr<RespClient> BlockOn(int port, const std::vector<std::string>& cmd,
                                    RespClient& admin, int64_t expected_blocked) {
  auto c = std::make_unique<RespClient>(port);
  EXPECT_TRUE(c->SendRaw(RespClient::Encode(cmd)));
  EXPECT_TRUE(
      PollUntil([&] { return BlockedClients(admin) == expected_blocked; }, milliseconds(5000)));
  return c;
}

std::string MakeValue(size_t size, uint64_t seed) {
  std::string out;
  out.reserve(size);
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  while (out.size() < size) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out.push_back(static_cast<char>('a' + (x % 26)));
  }
  return out;
}

}  // namespace strata::testing
