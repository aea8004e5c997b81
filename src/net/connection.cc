#include "net/connection.h"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <cstring>

#include "commands/dispatch.h"
#include "net/server.h"

namespace strata::net {
namespace {

constexpr size_t kReadChunk = 16 * 1024;

std::string Endpoint(const asio::ip::tcp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

Connection::Connection(Server& server, asio::ip::tcp::socket socket)
    : server_(server),
      socket_(std::move(socket)),
      block_timer_(server.io()),
      session_(server.engine().NewSession()) {
  asio::error_code ec;
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) addr_ = Endpoint(remote);
  session_->addr = addr_;
  auto local = socket_.local_endpoint(ec);
  if (!ec) laddr_ = Endpoint(local);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  const auto& cfg = server.engine().config().values();
  parser_.set_max_bulk_len(cfg.proto_max_bulk_len);
  last_interaction_ms_ = server.engine().state().clock->NowMs();
}

void Connection::Start() { Read(); }

void Connection::Close() {
  if (closed_) return;
  closed_ = true;
  commands::ReleaseSession(server_.engine().state(), *session_);
  if (blocked_) {
    blocked_ = false;
    server_.Unpark(this);
  }
  block_timer_.cancel();
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  server_.Remove(id());
}

void Connection::Read() {
  if (closed_ || reading_) return;
  // Compact: move the unconsumed tail to the front, then make room for at least one chunk
  // or for the rest of a large bulk argument, so big values are read into place once.
  if (in_start_ > 0) {
    std::memmove(in_.data(), in_.data() + in_start_, in_end_ - in_start_);
    in_end_ -= in_start_;
    in_start_ = 0;
  }
  size_t want = std::max(kReadChunk, parser_.BytesWanted());
  if (in_.size() - in_end_ < want) in_.resize(in_end_ + want);
  reading_ = true;
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                          [self](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::OnRead(const asio::error_code& ec, size_t n) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    Close();
    return;
  }
  in_end_ += n;
  auto& state = server_.engine().state();
  state.stats.total_net_input_bytes += n;
  last_interaction_ms_ = state.clock->NowMs();
  const auto& cfg = server_.engine().config().values();
  if (static_cast<int64_t>(in_end_ - in_start_) > cfg.client_query_buffer_limit) {
    spdlog::warn("closing client {} ({}): query buffer over client-query-buffer-limit", id(),
                 addr_);
    Close();
    return;
  }
  if (blocked_ || waiting_commit_ || writing_) {
    // Not executing now: keep reading so that a disconnect is noticed (input is buffered).
    Read();
    return;
  }
  TryProcess();
}

void Connection::TryProcess() {
  if (closed_ || blocked_ || postponed_ || waiting_commit_ || writing_) return;
  ProcessInput();
}

void Connection::Deliver(std::string_view bytes) {
  if (closed_ || output_over_limit_ || session_->replies_off) return;
  out_.append(bytes);
  if (CheckOutputLimit()) return;
  if (!processing_) Write();
}

// client-output-buffer-limit for this client's class, as Redis picks it: a subscriber is in
// the pubsub class, anyone else (a MONITOR client too) in the normal class (no limit by
// default). Past the hard limit, or above the soft one for its seconds, the client is closed
// and what it has not been sent is dropped. Returns whether it was.
bool Connection::CheckOutputLimit() {
  const auto& cfg = server_.engine().config().values();
  const auto& limit = session_->subscribed() ? cfg.output_limit_pubsub : cfg.output_limit_normal;
  if (limit.hard == 0 && limit.soft == 0) return false;
  int64_t pending = static_cast<int64_t>(out_.size() + (writing_ ? wbuf_.size() : 0));
  bool over = limit.hard > 0 && pending >= limit.hard;
  if (!over && limit.soft > 0 && pending >= limit.soft) {
    int64_t now = server_.engine().state().clock->NowMs();
    if (over_soft_limit_since_ms_ == 0) over_soft_limit_since_ms_ = now;
    over = now - over_soft_limit_since_ms_ >= limit.soft_seconds * 1000;
  } else if (!over) {
    over_soft_limit_since_ms_ = 0;
  }
  if (!over) return false;
  // Closed from the event loop, not here: a publisher may be walking the subscriber lists.
  output_over_limit_ = true;
  std::string().swap(out_);
  spdlog::warn("client {} ({}) closed for overcoming of output buffer limits", id(), addr_);
  auto self = shared_from_this();
  asio::post(server_.io(), [self] { self->Close(); });
  return true;
}

void Connection::ProcessInput() {
  processing_ = true;
  engine::Engine& engine = server_.engine();
  protocol::ReplyBuilder reply(&out_, session_->protocol);
  while (in_start_ < in_end_ && !session_->close_after_reply) {
    size_t consumed = 0;
    auto r = parser_.Parse(std::string_view(in_.data() + in_start_, in_end_ - in_start_), &consumed,
                           &args_);
    if (r == protocol::RequestParser::Result::kNeedMore) break;
    if (r == protocol::RequestParser::Result::kError) {
      reply.Error("ERR " + parser_.error());
      spdlog::debug("protocol error from client {} ({}): {}", id(), addr_, parser_.error());
      session_->close_after_reply = true;
      break;
    }
    if (!args_.empty()) {
      const size_t reply_start = out_.size();
      engine.Execute(*session_, args_, reply);
      if (session_->postponed) {  // CLIENT PAUSE: left unread, tried again when it ends
        session_->postponed = false;
        postponed_ = true;
        server_.Postpone(shared_from_this());
        break;
      }
      if (session_->replies_off || session_->replies_to_skip > 0) {
        out_.resize(reply_start);  // CLIENT REPLY OFF / SKIP
        if (session_->replies_to_skip > 0) --session_->replies_to_skip;
      }
      if (CheckOutputLimit()) {
        in_start_ = in_end_;  // closing: the rest of what it sent is not run
        break;
      }
      reply.set_protocol(session_->protocol);  // HELLO may have switched it
      if (session_->block.active) {
        blocked_args_.assign(args_.begin(), args_.end());
        in_start_ += consumed;
        Block();
        break;
      }
      // Keys this command created may wake other clients: serve them now, as Redis does
      // after each command.
      if (engine.state().keys.HasReadyKeys()) server_.ServeReadyKeys();
    }
    in_start_ += consumed;
  }
  processing_ = false;
  FinishBatch();
}

void Connection::Block() {
  blocked_ = true;
  server_.Park(shared_from_this());
  int64_t deadline = session_->block.deadline_ms;
  if (deadline != 0) {
    int64_t now = server_.engine().state().clock->NowMs();
    block_timer_.expires_after(std::chrono::milliseconds(std::max<int64_t>(deadline - now, 0)));
    auto self = shared_from_this();
    block_timer_.async_wait([self](const asio::error_code& ec) {
      if (!ec && self->blocked_ && !self->closed_) self->EndBlock(/*error=*/false);
    });
  }
}

bool Connection::ServeBlocked() {
  engine::Engine& engine = server_.engine();
  std::vector<std::string_view> args(blocked_args_.begin(), blocked_args_.end());
  commands::BlockRequest waiting = std::move(session_->block);
  session_->block = commands::BlockRequest();
  protocol::ReplyBuilder reply(&out_, session_->protocol);
  const size_t reply_start = out_.size();
  engine.Execute(*session_, args, reply);
  if (session_->replies_off) out_.resize(reply_start);  // CLIENT REPLY OFF outlasts the wait
  if (session_->postponed) {
    // CLIENT PAUSE held the retry back (nothing ran, nothing was answered): it goes on
    // waiting as it was, deadline and keys included.
    session_->postponed = false;
    session_->block = std::move(waiting);
    return false;
  }
  if (session_->block.active) return false;  // lost the race: keeps its place in line
  server_.Unpark(this);
  Resume();
  return true;
}

void Connection::EndBlockWithError(std::string_view message) {
  if (!blocked_) return;
  protocol::ReplyBuilder reply(&out_, session_->protocol);
  if (!session_->replies_off) reply.Error(message);
  server_.Unpark(this);
  Resume();
}

bool Connection::WaitsOnStreamGroup() const {
  if (!blocked_ || !session_->stream_wait || session_->stream_wait->args.empty()) return false;
  const std::string& name = session_->stream_wait->args[0];
  return name.size() == 10 && strncasecmp(name.c_str(), "xreadgroup", 10) == 0;
}

void Connection::EndBlock(bool error) {
  if (!blocked_) return;
  protocol::ReplyBuilder reply(&out_, session_->protocol);
  if (session_->replies_off) {
    // CLIENT REPLY OFF: the timeout (or unblock) is not answered either.
  } else if (error) {
    reply.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else if (session_->block.null_array_on_timeout) {
    reply.NullArray();
  } else {
    reply.Null();
  }
  server_.Unpark(this);
  Resume();
}

void Connection::Resume() {
  blocked_ = false;
  session_->block = commands::BlockRequest();
  // The wait is over: the same XREAD sent again is a new command, whose '$' is the stream's
  // last ID from now on, not a re-run of the old one.
  session_->stream_wait.reset();
  blocked_args_.clear();
  block_timer_.cancel();
  FinishBatch();  // the reply may depend on writes (a pop): same commit rule as any batch
  // A wait that ends with nothing to send (CLIENT REPLY OFF) leaves no write whose completion
  // would go on with commands already read: go on from here.
  if (out_.empty() && !writing_ && !waiting_commit_ && in_start_ < in_end_) {
    auto self = shared_from_this();
    asio::post(server_.io(), [self] { self->TryProcess(); });
  }
}

void Connection::FinishBatch() {
  engine::Engine& engine = server_.engine();
  uint64_t ticket;
  if (server_.InlineCommits()) {
    ticket = engine.PendingTicket();
    if (ticket != 0) server_.ScheduleCommit();
  } else {
    ticket = engine.CommitAsync();
  }
  // Nothing to send (a command that blocked, or a partial command): nothing to hold back.
  if (ticket != 0 && !engine.Written(ticket) && !out_.empty()) {
    wait_ticket_ = std::max(wait_ticket_, ticket);
    if (!waiting_commit_) {
      waiting_commit_ = true;
      server_.AddCommitWaiter(shared_from_this());
    }
    return;
  }
  Write();
}

bool Connection::OnWritten() {
  if (closed_ || !waiting_commit_) return true;
  engine::Engine& engine = server_.engine();
  if (!engine.write_error().ok()) {
    // The batch holding this client's writes never reached the disk: no acknowledgement.
    Close();
    return true;
  }
  if (!engine.Written(wait_ticket_)) return false;
  waiting_commit_ = false;
  Write();
  return true;
}

void Connection::Write() {
  if (closed_ || writing_ || waiting_commit_) return;
  if (out_.empty()) {
    if (session_->close_after_reply) return Close();
    return Read();
  }
  server_.engine().state().stats.total_net_output_bytes += out_.size();
  wbuf_.swap(out_);
  out_.clear();
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(wbuf_),
                    [self](const asio::error_code& ec, size_t) { self->OnWrite(ec); });
}

void Connection::OnWrite(const asio::error_code& ec) {
  writing_ = false;
  if (closed_) return;
  if (ec) return Close();
  wbuf_.clear();
  if (wbuf_.capacity() > 1 << 20) std::string().swap(wbuf_);
  if (!out_.empty()) return Write();  // replies added meanwhile (a served blocked command)
  if (session_->close_after_reply) return Close();
  // Commands read while we were busy may be waiting in the buffer (pipelining); a partial
  // command makes ProcessInput end in Read().
  if (in_start_ < in_end_) return TryProcess();
  Read();
}

std::string Connection::InfoLine() const {
  const auto& s = *session_;
  int64_t now = server_.engine().state().clock->NowMs();
  std::string line;
  line.reserve(256);
  line += "id=" + std::to_string(s.id);
  line += " addr=" + addr_;
  line += " laddr=" + laddr_;
  line += " fd=" + std::to_string(const_cast<asio::ip::tcp::socket&>(socket_).native_handle());
  line += " name=" + s.name;
  line += " age=" + std::to_string((now - s.created_ms) / 1000);
  line += " idle=" + std::to_string((now - last_interaction_ms_) / 1000);
  // In Redis's order: monitor, pub/sub, MULTI, blocked, tracking (t, R: its redirect target
  // is gone, B: broadcast), no-evict; N for none.
  const commands::Tracking& tracking = server_.engine().state().tracking;
  const commands::Tracking::Mode* tracked = tracking.ModeOf(s.id);
  std::string flags;
  if (s.monitor) flags += 'O';
  if (s.subscribed()) flags += 'P';
  if (s.in_multi || s.exec_size != 0) flags += 'x';
  if (blocked_) flags += 'b';
  if (tracked != nullptr) flags += 't';
  if (tracking.redirect_broken(s.id)) flags += 'R';
  if (tracked != nullptr && tracked->bcast) flags += 'B';
  if (s.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";
  line += " flags=" + flags + " db=" + std::to_string(s.db);
  line += " sub=" + std::to_string(s.channels.size()) +
          " psub=" + std::to_string(s.patterns.size()) +
          " ssub=" + std::to_string(s.shard_channels.size()) + " multi=" +
          std::to_string(s.in_multi    ? static_cast<int64_t>(s.queued.size())
                         : s.exec_size ? static_cast<int64_t>(s.exec_size)
                                       : -1);
  line += " qbuf=" + std::to_string(in_end_ - in_start_);
  line += " qbuf-free=" + std::to_string(in_.size() - in_end_);
  line += " argv-mem=0 multi-mem=0 rbs=" + std::to_string(in_.capacity());
  line += " rbp=0 obl=0 oll=0 omem=" + std::to_string(out_.capacity());
  line += " tot-mem=" + std::to_string(BufferBytes());
  line += " events=r cmd=" + std::string(s.last_command);
  line += " user=default redir=" +
          std::to_string(tracked == nullptr ? -1 : static_cast<int64_t>(tracked->redirect)) +
          " resp=" + std::to_string(s.protocol);
  line += " lib-name=" + s.lib_name + " lib-ver=" + s.lib_ver;
  return line;
}

}  // namespace strata::net
