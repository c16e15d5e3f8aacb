/// One section: a heading and its body, in layer coordinates.
struct SectionNode: Sendable {
    var heading: FoundHeading
    /// From the heading's first byte to the end of the body (UTF-8 bytes of the layer, trailing whitespace and
    /// flattened-line-break commas removed).
    var range: Range<Int>
    /// The level after nesting: the table's level, or deeper when the section sits inside a closed section.
    var level: Int
    /// Index of the enclosing section in the tree's `nodes`, if any.
    var parent: Int?
}

/// Nests headings into sections.
///
/// A section runs from its heading to the next heading of the same or a higher level (a level number not larger)
/// or to the end of the text. Mapped headings take their level from the table. An unmapped heading takes
/// `unmappedLevel`, except right after a subsection (a heading of level 2 or more), where it is taken for one more
/// of the same kind and gets its level: `NECK:` `CN:` `MOTOR:` inside a physical examination stay inside it.
/// A *closed* section (a template heading such as the IMR letter's) ends only at a closed heading of the same or a
/// higher level; any other heading inside it becomes a subsection, one level below it, so that a capitalized
/// `NOTE:` quoted in a rationale cannot cut the letter's issues section short. Each section's `parent` is the
/// nearest enclosing section.
struct SectionTree: Sendable {
    private(set) var nodes: [SectionNode] = []

    /// - Parameter entries: the heading table's entries, by `HeadingEntry.index` (`HeadingTable.entryList`).
    init(headings: [FoundHeading], entries: [HeadingEntry], unmappedLevel: Int, textEnd: Int, trim: (Range<Int>) -> Range<Int>) {
        func entry(_ heading: FoundHeading) -> HeadingEntry? { heading.entry.map { entries[$0] } }
        var open: [Int] = []  // indices into nodes, outermost first
        // One allocation each, not the doublings from one element.
        nodes.reserveCapacity(headings.count)
        open.reserveCapacity(min(headings.count, 8))
        func close(_ index: Int, at end: Int) {
            let start = nodes[index].range.lowerBound
            let body = trim(start..<max(start, end))
            nodes[index].range = start..<max(body.upperBound, nodes[index].heading.title.upperBound)
        }
        var previousLevel = 1
        for heading in headings {
            let ownLevel = entry(heading)?.level ?? max(unmappedLevel, previousLevel)
            previousLevel = ownLevel
            let closedHeading = entry(heading)?.closed ?? false
            var level = ownLevel
            for index in open where entry(nodes[index].heading)?.closed == true {
                let canClose = closedHeading && ownLevel <= (entry(nodes[index].heading)?.level ?? 1)
                if !canClose { level = max(level, nodes[index].level + 1) }
            }
            let start = heading.title.lowerBound
            while let top = open.last, nodes[top].level >= level {
                close(top, at: start)
                open.removeLast()
            }
            nodes.append(SectionNode(heading: heading, range: start..<textEnd, level: level, parent: open.last))
            open.append(nodes.count - 1)
        }
        for index in open { close(index, at: textEnd) }
    }
}
