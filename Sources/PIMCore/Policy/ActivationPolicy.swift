import Algorithms
public import Foundation

/// What the user filled in on the Activate form.
public struct ActivationForm: Sendable, Equatable {
    public var durationMinutes: Int
    /// A custom start; nil means now.
    public var start: Date?
    public var justification: String?
    public var ticketSystem: String?
    public var ticketNumber: String?

    public init(durationMinutes: Int, start: Date? = nil, justification: String? = nil,
                ticketSystem: String? = nil, ticketNumber: String? = nil) {
        self.durationMinutes = durationMinutes
        self.start = start
        self.justification = justification
        self.ticketSystem = ticketSystem
        self.ticketNumber = ticketNumber
    }
}

/// What the policy knows about one user and one role when they ask to activate.
public struct ActivationState: Sendable {
    public var roleName: String
    /// Eligible assignments of the role for the user or one of their groups, not closed by an action.
    public var eligibilities: [Assignment]
    /// Active assignments of the role for the user or one of their groups.
    public var activeAssignments: [Assignment]
    public var hasPendingRequest: Bool
    /// When the user last proved MFA in this session, as PIMAuth reports it.
    public var mfaProvenAt: Date?

    public init(roleName: String, eligibilities: [Assignment], activeAssignments: [Assignment],
                hasPendingRequest: Bool, mfaProvenAt: Date?) {
        self.roleName = roleName
        self.eligibilities = eligibilities
        self.activeAssignments = activeAssignments
        self.hasPendingRequest = hasPendingRequest
        self.mfaProvenAt = mfaProvenAt
    }
}

public enum ActivationDecision: Sendable, Equatable {
    /// The role is already held: nothing changes, the user sees this assignment.
    case alreadyActive(Assignment)
    /// Activate now (or at the custom start) for this window.
    case activate(eligibilityID: Int64, start: Date, end: Date)
    /// Needs approval; the window is computed again when it is approved.
    case requestApproval(eligibilityID: Int64, requestedStart: Date, durationSeconds: Int, timeoutAt: Date)
}

/// May this user activate, with which window, and what does the request need.
public enum ActivationPolicy {
    public static func decide(
        state: ActivationState, settings: RoleSettings, form: ActivationForm, now: Date
    ) throws(PIMError) -> ActivationDecision {
        if let held = state.activeAssignments.first(where: { $0.covers(now) }) {
            return .alreadyActive(held)
        }
        if state.hasPendingRequest { throw .pendingRequestExists(role: state.roleName) }
        let (eligibility, start, end) = try window(state: state, settings: settings, form: form, now: now)
        try checkRequirements(settings: settings.activation, form: form, mfaProvenAt: state.mfaProvenAt, now: now)
        if settings.activation.requireApproval {
            return .requestApproval(
                eligibilityID: eligibility.id, requestedStart: start, durationSeconds: form.durationMinutes * 60,
                timeoutAt: now + Double(settings.activation.approvalTimeoutHours) * 3600)
        }
        return .activate(eligibilityID: eligibility.id, start: start, end: end)
    }

    /// The duration and start checks and the eligibility that covers the start.
    public static func window(
        state: ActivationState, settings: RoleSettings, form: ActivationForm, now: Date
    ) throws(PIMError) -> (eligibility: Assignment, start: Date, end: Date) {
        let maximum = settings.activation.maximumDurationMinutes
        guard form.durationMinutes <= maximum else { throw .durationTooLong(maximumMinutes: maximum) }
        guard Double(form.durationMinutes * 60) >= Limits.minimumAssignment else { throw .durationTooShort }
        let start = max(form.start ?? now, now)
        if let requested = form.start, requested < now - Limits.startSkew { throw .startInPast }
        let open = state.eligibilities.filter { $0.endedReason == nil && !$0.hasEnded(at: now) }
        guard !open.isEmpty else { throw .notEligible(role: state.roleName) }
        guard let eligibility = bestEligibility(open, covering: start) else { throw .startOutsideEligibility }
        let end = clampedEnd(start: start, durationSeconds: form.durationMinutes * 60, eligibility: eligibility)
        guard end.timeIntervalSince(start) >= Limits.minimumAssignment else { throw .eligibilityEndsTooSoon }
        return (eligibility, start, end)
    }

    /// The eligibility covering `instant` that lasts longest (permanent first).
    public static func bestEligibility(_ eligibilities: [Assignment], covering instant: Date) -> Assignment? {
        eligibilities.filter { $0.covers(instant) }.max { a, b in
            (a.end ?? .distantFuture, -a.id) < (b.end ?? .distantFuture, -b.id)
        }
    }

    /// An activation ends at start + duration, never after its eligibility's end.
    public static func clampedEnd(start: Date, durationSeconds: Int, eligibility: Assignment) -> Date {
        let wanted = start + Double(durationSeconds)
        return eligibility.end.map { min($0, wanted) } ?? wanted
    }

    /// Justification, pattern, ticket and MFA, in the order a form shows them.
    public static func checkRequirements(
        settings: ActivationSettings, form: ActivationForm, mfaProvenAt: Date?, now: Date
    ) throws(PIMError) {
        let justification = form.justification.map { String($0.trimming(while: \.isWhitespace)) } ?? ""
        if settings.requireJustification, justification.isEmpty { throw .justificationRequired }
        if let pattern = settings.justificationPattern, !pattern.isEmpty {
            let matches = (try? Regex(pattern)).map { justification.contains($0) } ?? false
            if !matches {
                throw .justificationPatternMismatch(
                    settings.justificationPatternMessage ?? "The justification does not have the expected form.")
            }
        }
        if settings.requireTicket {
            let system = form.ticketSystem.map { String($0.trimming(while: \.isWhitespace)) } ?? ""
            let number = form.ticketNumber.map { String($0.trimming(while: \.isWhitespace)) } ?? ""
            if system.isEmpty || number.isEmpty { throw .ticketRequired }
        }
        if settings.requireMFA, !mfaSatisfied(settings: settings, provenAt: mfaProvenAt, now: now) {
            throw .mfaRequired
        }
    }

    /// Whether the session's MFA proof satisfies the role's freshness policy.
    public static func mfaSatisfied(settings: ActivationSettings, provenAt: Date?, now: Date) -> Bool {
        switch settings.mfaFreshness {
        case .everyActivation:
            return WindowPolicy.isFresh(provenAt, maxAge: Limits.perRequestProofAge, now: now)
        case .withinMinutes(let minutes):
            return WindowPolicy.isFresh(provenAt, maxAge: Double(minutes) * 60, now: now)
        }
    }
}
