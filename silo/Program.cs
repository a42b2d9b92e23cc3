using OrleansConfig.Silo;

return await SiloHost.RunAsync(args);
