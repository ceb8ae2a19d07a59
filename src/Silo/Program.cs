Console.WriteLine("graddescent");
