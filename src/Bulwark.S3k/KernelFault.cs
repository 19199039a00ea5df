namespace Bulwark.S3k;

/// <summary>The real kernel would do something undefined here (an index that passed its narrowing
/// checks reaches outside an array). This kernel stops the hart instead and says why.</summary>
public sealed class KernelFault(string message) : Exception(message);
