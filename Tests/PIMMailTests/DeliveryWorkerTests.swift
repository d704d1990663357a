import Foundation
import PIMCore
@testable import PIMMail
import Testing

@Suite(.serialized)
struct DeliveryWorkerTests {
    @Test func dueRowsAreSentOnceAndMarkedSent() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink()
        let (worker, transport) = try fixture.worker(port: sink.port, batchSize: 3)
        defer { transport.shutdown() }
        try fixture.enqueue(7)
        let report = await worker.deliverDue()
        #expect(report.sent == 7)
        let received = try await sink.waitForMessages(7)
        #expect(received.count == 7)
        #expect(Set(received.compactMap(\.messageID)) == Set(try fixture.rows().map(\.messageID)))
        #expect(try fixture.rows().allSatisfy { $0.status == .sent && $0.sentAt == fixture.clock.now() && $0.attempts == 1 && $0.leaseUntil == nil })
        #expect(await worker.deliverDue() == DeliveryWorker.PassReport())
        #expect(try sink.messages().count == 7)
    }

    @Test func smtpDownMailsWaitWithBackoffThenArriveEachOnce() async throws {
        let fixture = try MailFixture()
        let first = try SMTPSink()
        let port = first.port
        first.stop()
        let (worker, transport) = try fixture.worker(port: port)
        defer { transport.shutdown() }
        try fixture.enqueue(5)

        let down = await worker.deliverDue()
        #expect(down.requeued == 1 && down.deferred == 4 && down.sent == 0)
        let start = fixture.clock.now()
        var rows = try fixture.rows()
        #expect(rows.allSatisfy { $0.status == .queued && $0.leaseUntil == nil })
        #expect(rows[0].attempts == 1 && rows[0].lastError?.contains("curl 7") == true)
        #expect(rows.allSatisfy { $0.nextAttemptAt == start.addingTimeInterval(30) })
        #expect(rows.dropFirst().allSatisfy { $0.attempts == 0 })
        #expect(await worker.deliverDue() == DeliveryWorker.PassReport(), "nothing is due before the back-off ends")

        fixture.clock.advance(by: 30)
        _ = await worker.deliverDue()
        rows = try fixture.rows()
        #expect(rows[0].attempts == 2 && rows[0].nextAttemptAt == fixture.clock.now().addingTimeInterval(60))

        let sink = try SMTPSink(port: port)
        fixture.clock.advance(by: 60)
        let up = await worker.deliverDue()
        #expect(up.sent == 5)
        let received = try await sink.waitForMessages(5)
        #expect(received.count == 5)
        #expect(Set(received.compactMap(\.messageID)).count == 5)
        #expect(try fixture.rows().allSatisfy { $0.status == .sent })
    }

    @Test func afterADayOfFailuresTheRowFailsAndAnAdminRetrySendsIt() async throws {
        let fixture = try MailFixture()
        let probe = try SMTPSink()
        let port = probe.port
        probe.stop()
        let (worker, transport) = try fixture.worker(port: port)
        defer { transport.shutdown() }
        let id = try fixture.enqueue()[0]
        var attempts = 0
        while try fixture.rows()[0].status == .queued && attempts < 100 {
            _ = await worker.deliverDue()
            attempts += 1
            fixture.clock.set(try fixture.rows()[0].nextAttemptAt)
        }
        let failed = try fixture.rows()[0]
        #expect(failed.status == .failed)
        #expect(failed.lastError?.contains("curl 7") == true)
        // 30 s doubling to 1 h fills 24 h with 8 growing tries, 22 hourly ones and one at the deadline.
        #expect(failed.attempts == 31)
        let status = try fixture.outbox.mailStatus(status: .failed, now: fixture.clock.now())
        #expect(status.counts.failed == 1 && status.entries.first?.lastError == failed.lastError)

        let sink = try SMTPSink(port: port)
        #expect(try await worker.retry(id: id))
        #expect(try fixture.rows()[0].status == .queued)
        #expect(await worker.deliverDue().sent == 1)
        #expect(try await sink.waitForMessages(1).count == 1)
        #expect(try await worker.retry(id: id) == false, "only failed rows can be retried")
    }

    @Test func anInvalidRecipientFailsAtOnceWithoutHoldingUpTheOthers() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink()
        let (worker, transport) = try fixture.worker(port: sink.port)
        defer { transport.shutdown() }
        try fixture.enqueue(3, recipient: { $0 == 1 ? "bad address\r\nRCPT TO:<x@evil.example>" : "user\($0)@example.org" })
        let report = await worker.deliverDue()
        #expect(report.sent == 2 && report.failed == 1)
        let rows = try fixture.rows()
        #expect(rows[1].status == .failed && rows[1].lastError?.hasPrefix("invalid address") == true)
        #expect(try await sink.waitForMessages(2).flatMap(\.rcpt_tos).sorted() == ["user0@example.org", "user2@example.org"])
    }

    @Test func aRecipientTheRelayRefusesIsRetriedWithoutDelayingTheOthers() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink(arguments: ["--reject", "user1@example.org"])
        let (worker, transport) = try fixture.worker(port: sink.port)
        defer { transport.shutdown() }
        try fixture.enqueue(3)
        let report = await worker.deliverDue()
        #expect(report.sent == 2 && report.requeued == 1 && report.deferred == 0)
        let refused = try fixture.rows()[1]
        #expect(refused.status == .queued && refused.attempts == 1)
        #expect(refused.lastError?.contains("last reply 550") == true)
        #expect(refused.nextAttemptAt == fixture.clock.now().addingTimeInterval(30))
        #expect(try sink.messages().flatMap(\.rcpt_tos).sorted() == ["user0@example.org", "user2@example.org"])
    }

    @Test func theOutboxChangedHookDeliversWithinTwoSeconds() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink()
        // Real clock and a one-minute timer: only the hook can make this fast.
        let (worker, transport) = try fixture.worker(port: sink.port, pollInterval: .seconds(60), clock: SystemClock())
        defer { transport.shutdown() }
        await worker.start()
        try await Task.sleep(for: .milliseconds(200))
        let hook = worker.wakeHook
        for round in 0..<3 {
            let started = ContinuousClock.now
            try await fixture.store.pool.write { db in
                try Outbox.enqueue([OutboxMessage(kind: .approveActivationRequest, recipient: "approver\(round)@example.org", critical: true, payload: MailFixture.payload)], at: Date(), in: db)
            }
            hook()
            let received = try await sink.waitForMessages(round + 1, timeout: .seconds(5))
            let elapsed = ContinuousClock.now - started
            #expect(received.count == round + 1)
            #expect(elapsed < .seconds(2), "mail took \(elapsed)")
        }
        await worker.stop()
    }

    @Test func mailStatusCountsAndPagesNewestFirst() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink()
        let (worker, transport) = try fixture.worker(port: sink.port)
        defer { transport.shutdown() }
        try fixture.enqueue(4)
        _ = await worker.deliverDue()
        try fixture.enqueue(1, recipient: { _ in "not-an-address" })
        _ = await worker.deliverDue()
        let ids = try fixture.enqueue(3)
        let page = try fixture.outbox.mailStatus(page: 1, pageSize: 3, now: fixture.clock.now())
        #expect(page.counts == .init(queued: 3, sent: 4, failed: 1, due: 3, oldestQueuedAt: fixture.clock.now()))
        #expect(page.total == 8 && page.pageCount == 3)
        #expect(page.entries.map(\.id) == ids.reversed())
        let failed = try fixture.outbox.mailStatus(status: .failed, now: fixture.clock.now())
        #expect(failed.total == 1 && failed.entries[0].recipient == "not-an-address")
        let last = try fixture.outbox.mailStatus(page: 3, pageSize: 3, now: fixture.clock.now())
        #expect(last.entries.count == 2)
    }
}
