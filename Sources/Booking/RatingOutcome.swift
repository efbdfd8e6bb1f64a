/// What became of a rating of a visit (the store decides; the review flow says so).
public enum RatingOutcome: Sendable, Equatable {
    case saved
    /// The booking already has its review.
    case alreadyReviewed
    /// The visit has not ended yet (or was cancelled or missed).
    case notYet
    /// No such booking of this client.
    case notFound
}
