namespace RaftBalancer.Cli.Output;

/// <summary>Writes rows as left-aligned columns separated by two spaces.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    /// <param name="headers">Column headers, upper case by convention.</param>
    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    /// <summary>Adds a row; missing cells print empty.</summary>
    /// <param name="cells">One value per column.</param>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Writes the header and every row.</summary>
    /// <param name="writer">Where to write.</param>
    public void WriteTo(TextWriter writer)
    {
        var widths = new int[_headers.Length];
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var i = 0; i < widths.Length && i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in _rows.Prepend(_headers))
        {
            var line = new System.Text.StringBuilder();
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < row.Length ? row[i] : string.Empty;
                line.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
