// strata-churn: measures the "tombstone cliff" of a queue workload.
//
// A durable queue built on an LSM tree deletes every element it pops. If a pop has to step over
// the tombstones of everything popped before (an iterator seeking to the head of a list, or to
// the lowest score of a sorted set), each pop gets slower as the run goes on. This tool runs a
// steady churn against one key and reports the throughput of each tenth of the run: a server
// without the cliff has a last tenth about as fast as the first.
//
// Patterns (a backlog of K elements is pushed first and is not timed; then the timed run
// alternates one push and one pop, so the key holds K or K+1 elements throughout):
//   list        LPUSH key j<n> / RPOP key               K = 10000 by default
//   zset        ZADD key <n> j<n> / ZPOPMIN key         K = 10000 (delayed jobs by due time)
//   list-small  as list                                 K = 10
//   stream      XADD key <n>-0 job j<n> / a consumer's XREADGROUP GROUP g c COUNT 1 STREAMS
//               key >, XACK and XTRIM MINID of what it read (a live queue whose acknowledged
//               entries are trimmed)                     K = 10000
//   consume     the backlog is N entries (XADD as stream); the timed run is the consumer
//               alone: XREADGROUP GROUP g c COUNT 1 STREAMS key > and XACK of what it read,
//               one op per entry (tools/bench.sh reports its rate as XREADGROUP+XACK)
//
// A plain RESP2 client on one POSIX socket, no library beyond the C++ standard library.
// Commands are written in batches of --pipeline and every reply is read before the next batch.
// --max-seconds caps the timed run: a server on the cliff may need hours for a million ops. The
// run then stops between batches, prints `truncated 1`, and its tenths are tenths of the ops it
// did (total_ops), so first and last tenth still compare the start of the run with its end.
// Exit status: 0 when the run completed or was truncated by --max-seconds (whatever the
// numbers), 1 when it could not (connection lost, an error reply), 2 for a usage error. It
// measures; it does not judge.

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "6379";
  int64_t ops = 1'000'000;
  std::string pattern = "list";
  int64_t backlog = -1;  // -1: the pattern's default.
  int64_t pipeline = 64;
  std::string key = "strata-churn";
  double max_seconds = 0;  // 0: no limit.
};

// One reply, reduced to what the churn needs: its type, whether it is empty (a nil bulk or
// array, or an empty array: a pop found nothing), and the text of a status, error or integer.
struct Reply {
  char type = 0;
  bool empty = false;
  std::string text;
};

// A blocking RESP2 connection. Invariant: buf_[pos_, buf_.size()) holds the bytes received
// and not yet parsed.
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    if (fd_ >= 0) close(fd_);
  }

  bool Connect(const std::string& host, const std::string& port, std::string* error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &list); rc != 0) {
      *error = "resolve " + host + ": " + gai_strerror(rc);
      return false;
    }
    *error = "connect " + host + ":" + port + ": no address";
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      int fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (fd < 0) continue;
      if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        fd_ = fd;
        break;
      }
      *error = "connect " + host + ":" + port + ": " + std::strerror(errno);
      close(fd);
    }
    freeaddrinfo(list);
    return fd_ >= 0;
  }

  bool WriteAll(std::string_view data, std::string* error) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        *error = std::string("send: ") + std::strerror(errno);
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one complete reply; nested array elements are parsed and dropped.
  bool ReadReply(Reply* reply, std::string* error) {
    std::string line;
    if (!ReadLine(&line, error)) return false;
    if (line.empty()) {
      *error = "protocol: empty reply line";
      return false;
    }
    reply->type = line[0];
    reply->empty = false;
    reply->text.assign(line, 1);
    switch (line[0]) {
      case '+':
      case '-':
      case ':':
        return true;
      case '$': {
        long long len = std::strtoll(reply->text.c_str(), nullptr, 10);
        if (len < 0) {
          reply->empty = true;
          return true;
        }
        return Consume(static_cast<size_t>(len) + 2, error);
      }
      case '*': {
        long long count = std::strtoll(reply->text.c_str(), nullptr, 10);
        reply->empty = count <= 0;
        Reply element;
        for (long long i = 0; i < count; ++i) {
          if (!ReadReply(&element, error)) return false;
        }
        return true;
      }
      default:
        *error = "protocol: unexpected reply type '" + line.substr(0, 1) + "'";
        return false;
    }
  }

 private:
  bool Fill(std::string* error) {
    if (pos_ > 0 && pos_ * 2 >= buf_.size()) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
    char chunk[64 * 1024];
    for (;;) {
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        *error = std::string("recv: ") + std::strerror(errno);
        return false;
      }
      if (n == 0) {
        *error = "connection closed by the server";
        return false;
      }
      buf_.append(chunk, static_cast<size_t>(n));
      return true;
    }
  }

  bool ReadLine(std::string* line, std::string* error) {
    for (;;) {
      size_t end = buf_.find("\r\n", pos_);
      if (end != std::string::npos) {
        line->assign(buf_, pos_, end - pos_);
        pos_ = end + 2;
        return true;
      }
      if (!Fill(error)) return false;
    }
  }

  bool Consume(size_t n, std::string* error) {
    while (buf_.size() - pos_ < n) {
      if (!Fill(error)) return false;
    }
    pos_ += n;
    return true;
  }

  int fd_ = -1;
  std::string buf_;
  size_t pos_ = 0;
};

void AppendCommand(std::string* out, std::initializer_list<std::string_view> args) {
  *out += '*';
  *out += std::to_string(args.size());
  *out += "\r\n";
  for (std::string_view arg : args) {
    *out += '$';
    *out += std::to_string(arg.size());
    *out += "\r\n";
    *out += arg;
    *out += "\r\n";
  }
}

// The churn: what a producer pushes and a consumer pops, for one pattern.
class Churn {
 public:
  enum Kind { kList, kZSet, kStream, kConsume };
  Churn(Kind kind, std::string key) : kind_(kind), key_(std::move(key)) {}

  // Commands that prepare the key after it was deleted; returns how many.
  int64_t AppendSetup(std::string* out) const {
    if (kind_ != kStream && kind_ != kConsume) return 0;
    AppendCommand(out, {"XGROUP", "CREATE", key_, "g", "0", "MKSTREAM"});
    return 1;
  }
  void AppendPush(std::string* out, int64_t seq) const {
    std::string n = std::to_string(seq);
    std::string job = "j" + n;
    if (kind_ == kZSet) {
      AppendCommand(out, {"ZADD", key_, n, job});
    } else if (kind_ == kStream || kind_ == kConsume) {
      AppendCommand(out, {"XADD", key_, std::to_string(seq + 1) + "-0", "job", job});
    } else {
      AppendCommand(out, {"LPUSH", key_, job});
    }
  }
  // The `pop`-th pop (from 0); returns how many commands (replies) it takes. The stream's
  // consumer reads entries in order, so the pop-th read is entry pop+1-0.
  int64_t AppendPop(std::string* out, int64_t pop) const {
    if (kind_ == kList || kind_ == kZSet) {
      AppendCommand(out, {kind_ == kZSet ? "ZPOPMIN" : "RPOP", key_});
      return 1;
    }
    AppendCommand(out, {"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", key_, ">"});
    AppendCommand(out, {"XACK", key_, "g", std::to_string(pop + 1) + "-0"});
    if (kind_ == kConsume) return 2;
    AppendCommand(out, {"XTRIM", key_, "MINID", std::to_string(pop + 2)});
    return 3;
  }
  void AppendLength(std::string* out) const {
    AppendCommand(out, {kind_ == kZSet ? "ZCARD" : kind_ == kList ? "LLEN" : "XLEN", key_});
  }

 private:
  Kind kind_;
  std::string key_;

 public:
  bool pops_only() const { return kind_ == kConsume; }  // every timed op is a pop
};

// Sends the commands in one write, then reads `count` replies. Stops at the first error reply.
// Counts pops that found nothing (there should be none: the backlog keeps the key non-empty).
bool RunBatch(Connection& conn, const std::string& commands, int64_t count, int64_t* empty_pops,
              std::string* error) {
  if (!conn.WriteAll(commands, error)) return false;
  Reply reply;
  for (int64_t i = 0; i < count; ++i) {
    if (!conn.ReadReply(&reply, error)) return false;
    if (reply.type == '-') {
      *error = "error reply: " + reply.text;
      return false;
    }
    if (reply.empty) ++*empty_pops;
  }
  return true;
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

[[noreturn]] void Usage(const char* why) {
  if (why != nullptr) std::fprintf(stderr, "strata-churn: %s\n", why);
  std::fprintf(stderr,
               "usage: strata-churn [--host H] [--port P] [--ops N] [--pattern list|zset|"
               "list-small|stream|consume]\n"
               "                    [--backlog K] [--pipeline B] [--key NAME] [--max-seconds S]\n"
               "defaults: 127.0.0.1 6379, N=1000000 (at least 10), list, K=10000 (list-small: 10, "
               "consume: N),"
               " B=64,\n"
               "          S=0 (no limit)\n");
  std::exit(2);
}

int64_t ParseCount(const char* flag, const char* text, int64_t min) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min) {
    std::string why = std::string(flag) + " wants an integer >= " + std::to_string(min);
    Usage(why.c_str());
  }
  return v;
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") Usage(nullptr);
    if (i + 1 >= argc) Usage(("missing value for " + std::string(flag)).c_str());
    const char* value = argv[++i];
    if (flag == "--host") {
      o.host = value;
    } else if (flag == "--port") {
      o.port = std::to_string(ParseCount("--port", value, 1));
    } else if (flag == "--ops") {
      o.ops = ParseCount("--ops", value, 10);
    } else if (flag == "--pattern") {
      o.pattern = value;
    } else if (flag == "--backlog") {
      o.backlog = ParseCount("--backlog", value, 0);
    } else if (flag == "--pipeline") {
      o.pipeline = ParseCount("--pipeline", value, 1);
    } else if (flag == "--key") {
      o.key = value;
    } else if (flag == "--max-seconds") {
      o.max_seconds = static_cast<double>(ParseCount("--max-seconds", value, 0));
    } else {
      Usage(("unknown option " + std::string(flag)).c_str());
    }
  }
  if (o.pattern != "list" && o.pattern != "zset" && o.pattern != "list-small" &&
      o.pattern != "stream" && o.pattern != "consume") {
    Usage("--pattern is list, zset, list-small, stream or consume");
  }
  if (o.backlog < 0) {
    o.backlog = o.pattern == "list-small" ? 10 : o.pattern == "consume" ? o.ops : 10'000;
  }
  if (o.pattern == "consume" && o.backlog < o.ops) Usage("consume wants --backlog >= --ops");
  return o;
}

int Fail(const std::string& what, const std::string& error) {
  std::fprintf(stderr, "strata-churn: %s: %s\n", what.c_str(), error.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseOptions(argc, argv);
  const Churn churn(o.pattern == "zset"      ? Churn::kZSet
                    : o.pattern == "stream"  ? Churn::kStream
                    : o.pattern == "consume" ? Churn::kConsume
                                             : Churn::kList,
                    o.key);
  using Clock = std::chrono::steady_clock;

  Connection conn;
  std::string error;
  if (!conn.Connect(o.host, o.port, &error)) return Fail("connect", error);

  std::string batch;
  int64_t empty_pops = 0;
  AppendCommand(&batch, {"DEL", o.key});
  int64_t setup = 1 + churn.AppendSetup(&batch);
  if (!RunBatch(conn, batch, setup, &empty_pops, &error)) return Fail("DEL", error);

  // The backlog, pipelined like the run but not timed into it.
  int64_t seq = 0;
  Clock::time_point start = Clock::now();
  while (seq < o.backlog) {
    batch.clear();
    int64_t n = std::min(o.pipeline, o.backlog - seq);
    for (int64_t i = 0; i < n; ++i) churn.AppendPush(&batch, seq++);
    if (!RunBatch(conn, batch, n, &empty_pops, &error)) return Fail("backlog", error);
  }
  std::printf("pattern %s backlog %lld ops %lld pipeline %lld server %s:%s\n", o.pattern.c_str(),
              static_cast<long long>(o.backlog), static_cast<long long>(o.ops),
              static_cast<long long>(o.pipeline), o.host.c_str(), o.port.c_str());
  std::printf("backlog_seconds %.3f\n", Seconds(Clock::now() - start));
  std::fflush(stdout);

  // Op i is a push when i is even and a pop when odd (consume: every op is a pop). The end of every
  // batch is logged; the tenths are cut from that log afterwards, so a run cut short by
  // --max-seconds still reports tenths of the ops it did. No batch crosses a tenth of --ops, so a
  // full run's are exact.
  struct Mark {
    int64_t ops;
    double seconds;
  };
  std::vector<Mark> marks{{0, 0.0}};
  int64_t done = 0;
  int64_t pops = 0;
  bool truncated = false;
  const Clock::time_point run_start = Clock::now();
  const double limit = o.max_seconds > 0 ? o.max_seconds : 1e18;
  int next_tenth = 1;
  while (done < o.ops) {
    if (done > 0 && marks.back().seconds >= limit) {
      truncated = true;
      break;
    }
    while (o.ops * next_tenth / 10 <= done) ++next_tenth;
    batch.clear();
    int64_t n = std::min(o.pipeline, o.ops * next_tenth / 10 - done);
    int64_t replies = 0;
    for (int64_t i = 0; i < n; ++i, ++done) {
      if (done % 2 == 0 && !churn.pops_only()) {
        churn.AppendPush(&batch, seq++);
        ++replies;
      } else {
        replies += churn.AppendPop(&batch, pops++);
      }
    }
    if (!RunBatch(conn, batch, replies, &empty_pops, &error)) return Fail("run", error);
    marks.push_back({done, Seconds(Clock::now() - run_start)});
  }
  const double total = marks.back().seconds;

  // Tenth t ends at the first mark at or past done * t / 10.
  std::vector<double> rates;
  size_t prev = 0;
  for (int tenth = 1; tenth <= 10; ++tenth) {
    size_t m = prev;
    while (m + 1 < marks.size() && marks[m].ops < done * tenth / 10) ++m;
    int64_t ops = marks[m].ops - marks[prev].ops;
    double secs = marks[m].seconds - marks[prev].seconds;
    rates.push_back(secs > 0 ? static_cast<double>(ops) / secs : 0);
    std::printf("tenth %2d ops %lld seconds %.3f ops_per_s %.0f\n", tenth,
                static_cast<long long>(ops), secs, rates.back());
    prev = m;
  }

  batch.clear();
  churn.AppendLength(&batch);
  AppendCommand(&batch, {"DEL", o.key});
  if (!conn.WriteAll(batch, &error)) return Fail("cleanup", error);
  Reply length;
  Reply deleted;
  if (!conn.ReadReply(&length, &error) || !conn.ReadReply(&deleted, &error)) {
    return Fail("cleanup", error);
  }

  std::printf("total_seconds %.3f\n", total);
  std::printf("total_ops %lld\n", static_cast<long long>(done));
  std::printf("total_ops_per_s %.0f\n", total > 0 ? static_cast<double>(done) / total : 0);
  std::printf("truncated %d\n", truncated ? 1 : 0);
  std::printf("empty_pops %lld\n", static_cast<long long>(empty_pops));
  std::printf("final_length %s\n", length.text.c_str());
  std::printf("first_tenth_ops_per_s %.0f\n", rates.front());
  std::printf("last_tenth_ops_per_s %.0f\n", rates.back());
  std::printf("ratio_last_first %.2f\n", rates.front() > 0 ? rates.back() / rates.front() : 0);
  return 0;
}
